#include "origin/catalog/distribution.h"

#include <algorithm>
#include <cmath>

namespace cdnlab::origin::catalog {
namespace {

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Inverse of the standard normal CDF: Acklam's rational approximation (relative error < 1.2e-9),
// refined by one Halley step. https://web.archive.org/web/2007/http://home.online.no/~pjacklam/notes/invnorm/
double normalQuantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  p = std::clamp(p, 1e-300, 1 - 1e-16);
  double x;
  if (p < 0.02425) {
    double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  double e = normalCdf(x) - p;
  double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace

double Distribution::sample(double u1) const {
  double v = 0;
  switch (kind) {
    case Kind::Fixed:
      return value;
    case Kind::Uniform:
      v = min + u1 * (max - min);
      break;
    case Kind::LogNormal: {
      // Truncated lognormal: a uniform between the CDF values of the bounds, then the quantile.
      double mu = std::log(median);
      double lo = normalCdf((std::log(min) - mu) / sigma);
      double hi = normalCdf((std::log(max) - mu) / sigma);
      v = std::exp(mu + sigma * normalQuantile(lo + u1 * (hi - lo)));
      break;
    }
    case Kind::Pareto: {
      // Bounded Pareto on [L, H] with shape a: inverse CDF
      // x = (-(u H^a - u L^a - H^a) / (H^a L^a))^(-1/a).
      double la = std::pow(min, alpha), ha = std::pow(max, alpha);
      v = std::pow(-(u1 * ha - u1 * la - ha) / (ha * la), -1.0 / alpha);
      break;
    }
  }
  return std::clamp(v, min, max);  // guards rounding at the edges only
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::Fixed:
      return value;
    case Kind::Uniform:
      return (min + max) / 2;
    case Kind::LogNormal:
    case Kind::Pareto: {
      // Midpoint rule over the quantile function: good to well under 1% for these shapes.
      const int n = 20000;
      double sum = 0;
      for (int i = 0; i < n; ++i) sum += sample((i + 0.5) / n);
      return sum / n;
    }
  }
  return 0;
}

const char* kindName(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::Fixed: return "fixed";
    case Distribution::Kind::Uniform: return "uniform";
    case Distribution::Kind::LogNormal: return "lognormal";
    case Distribution::Kind::Pareto: return "pareto";
  }
  return "?";
}

}  // namespace cdnlab::origin::catalog
