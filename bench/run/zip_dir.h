// A function's deployment package: a directory zipped in memory with libzip, as a deploy tool
// builds it before CreateFunction. Regular files only (symlinks and special files are skipped:
// the Lambda service refuses links), paths relative to the directory, Unix modes kept (a
// `bootstrap` stays executable).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace cdnlab::bench::run {

// `extra`: (name in the zip, file on disk) added after the directory's files (e.g. a native
// function's shared object). `dir` may be empty (only the extras).
Result<std::string> zipDirectory(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& extra = {});

}  // namespace cdnlab::bench::run
