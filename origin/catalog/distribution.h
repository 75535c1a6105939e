// Bounded distributions for the synthetic catalog (object sizes, service times). Sampling is a
// pure function of the uniforms passed in, so the catalog can derive them from hashes of
// (seed, object id) and anyone can recompute an object's size.
#pragma once

namespace cdnlab::origin::catalog {

// A bounded random distribution of a non-negative quantity (bytes for sizes, milliseconds for
// service times). Every kind is bounded by [min, max] so a catalog never holds a 0-byte or a
// 50 GiB object by accident.
struct Distribution {
  enum class Kind { Fixed, Uniform, LogNormal, Pareto };
  Kind kind = Kind::Fixed;
  double value = 0;   // fixed: the value
  double min = 0;     // lower bound; pareto: also the scale x_m
  double max = 0;     // upper bound
  double median = 0;  // lognormal: median = e^mu
  double sigma = 0;   // lognormal: standard deviation of ln(x)
  double alpha = 0;   // pareto: shape (smaller = heavier tail)

  // Maps a uniform u in [0, 1) to a value in [min, max] (fixed: value); monotonic in u.
  // Lognormal is truncated to [min, max] exactly (inverse CDF between the bounds' quantiles),
  // so the bounds do not pile up mass the way clamping would; Pareto likewise (bounded Pareto).
  double sample(double u) const;
  // The distribution's mean, for docs and sanity checks (numerically for lognormal).
  double mean() const;
};

const char* kindName(Distribution::Kind kind);

}  // namespace cdnlab::origin::catalog
