// The bootstrap loops of the process runtimes (lambda/runtimes/), compiled into the binary so a
// lone `cdnlab` runs Node.js and Python functions. ProcessRuntime writes them to disk at start.
#pragma once

namespace cdnlab::lambda {

extern const char* const kEmbedded_node_bootstrap;    // lambda/runtimes/node_bootstrap.mjs
extern const char* const kEmbedded_python_bootstrap;  // lambda/runtimes/python_bootstrap.py

}  // namespace cdnlab::lambda
