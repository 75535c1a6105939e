// See atomic_file.h.
#include "common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cdnlab {

Result<bool> writeFileAtomically(const std::string& path, std::string_view text) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{500, tmp + ": " + std::strerror(errno)};
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return Error{500, tmp + ": " + std::strerror(e)};
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int e = errno;
    ::close(fd);
    return Error{500, tmp + ": " + std::strerror(e)};
  }
  if (::close(fd) != 0) return Error{500, tmp + ": " + std::strerror(errno)};
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Error{500, path + ": " + std::strerror(errno)};
  return true;
}

}  // namespace cdnlab
