// ThreadSanitizer builds only (CDNLAB_SANITIZE=thread links this into every executable): tells
// TSan about the file descriptors libuv closes, so that it does not report races on reused ones.
//
// Why it is needed: on Linux, libuv closes every descriptor with syscall(SYS_close, fd) rather
// than close() (uv__close_nocancel: glibc's close() is a thread-cancellation point). Debian's
// libuv is not built with TSan, so TSan's close() interceptor never sees those closes and keeps
// the descriptor's state as if it were still open. When the kernel hands the same number to a
// new descriptor on another thread (each HTTP worker accepting connections, `cdnlab load`
// opening a loop per scraper thread), TSan reports a data race between the two creations
// (epoll_create1, pipe2, eventfd, socket, accept4 inside libuv), although the kernel orders
// them: the number is free only after the close returned. libuv built with TSan announces the
// close with __sanitizer_syscall_pre_close / _post_close; this does the same from outside. The
// executable's syscall() comes first in symbol lookup, so libuv's calls land here, and every
// other system call goes on to glibc's syscall() unchanged. Real races on a descriptor (a use
// on one thread after another closed it) are still reported: TSan now sees the close.
#include <dlfcn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>

// The sanitizer runtime's system-call hooks (clang ships them in <sanitizer/linux_syscall_hooks.h>
// behind macros, GCC ships no header for them; both runtimes define these two functions).
extern "C" void __sanitizer_syscall_pre_impl_close(long fd);
extern "C" void __sanitizer_syscall_post_impl_close(long res, long fd);

namespace {

using SyscallFn = long (*)(long, ...);

SyscallFn glibcSyscall() {
  // A function-local static: initialised once, thread-safely, on the first system call.
  static const SyscallFn fn = reinterpret_cast<SyscallFn>(dlsym(RTLD_NEXT, "syscall"));
  return fn;
}

}  // namespace

extern "C" long syscall(long number, ...) noexcept {
  // Six arguments, whatever the call takes: the most any Linux system call has, and what glibc's
  // own syscall() passes on (the unused ones are whatever the caller's registers held).
  long a[6];
  va_list ap;
  va_start(ap, number);
  for (long& arg : a) arg = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_close) {
    __sanitizer_syscall_pre_impl_close(a[0]);
    const long rc = glibcSyscall()(number, a[0]);
    __sanitizer_syscall_post_impl_close(rc, a[0]);
    return rc;
  }
  return glibcSyscall()(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
