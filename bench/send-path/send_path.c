// Send-path experiment for the 64 KiB hit (bench/RESULTS.md, "64 KiB: who sets the ceiling"):
// one loopback TCP connection, the sender writes N responses of a 300-byte head and a 64 KiB
// body, a forked reader drains them with 8 KiB reads as wrk does. Mode 0: one writev of head +
// body from heap memory (what the PoP does). Mode 1: send(head, MSG_MORE) + sendfile from a
// sealed memfd (page-cache pages referenced by the skb, no user->kernel copy).
// Prints CPU microseconds per response of each side (getrusage).
//
//   cc -O2 -o /tmp/send_path bench/send-path/send_path.c && /tmp/send_path 0 && /tmp/send_path 1
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kBody = 65536, kHead = 300, kResponses = 100000, kReadSize = 8192 };

static double cpuSeconds(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static void readAll(const struct sockaddr_in* addr) {
  int c = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(c, (const struct sockaddr*)addr, sizeof *addr) != 0) _exit(1);
  char buf[kReadSize];
  long reads = 0;
  while (read(c, buf, sizeof buf) > 0) ++reads;
  fprintf(stderr, "reader: %.1f reads, %.1f us CPU per response\n", (double)reads / kResponses,
          cpuSeconds() / kResponses * 1e6);
  _exit(0);
}

static int sendWritev(int s, char* head, char* body) {
  struct iovec v[2] = {{head, kHead}, {body, kBody}};
  size_t left = kHead + kBody;
  while (left > 0) {
    ssize_t n = writev(s, v, 2);
    if (n <= 0) return -1;
    left -= (size_t)n;
    for (int i = 0; i < 2; ++i) {
      size_t take = (size_t)n < v[i].iov_len ? (size_t)n : v[i].iov_len;
      v[i].iov_base = (char*)v[i].iov_base + take;
      v[i].iov_len -= take;
      n -= (ssize_t)take;
    }
  }
  return 0;
}

static int sendSendfile(int s, char* head, int memfd) {
  if (send(s, head, kHead, MSG_MORE) != kHead) return -1;
  off_t off = 0;
  while (off < kBody)
    if (sendfile(s, memfd, &off, (size_t)(kBody - off)) <= 0) return -1;
  return 0;
}

int main(int argc, char** argv) {
  int mode = argc > 1 ? atoi(argv[1]) : 0;
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  if (bind(ls, (struct sockaddr*)&addr, sizeof addr) || listen(ls, 1) || getsockname(ls, (struct sockaddr*)&addr, &len))
    return 1;
  pid_t reader = fork();
  if (reader == 0) readAll(&addr);
  int s = accept(ls, NULL, NULL);
  int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  static char head[kHead], body[kBody];
  memset(head, 'h', sizeof head);
  memset(body, 'b', sizeof body);
  int memfd = memfd_create("body", MFD_ALLOW_SEALING);
  if (memfd < 0 || write(memfd, body, kBody) != kBody ||
      fcntl(memfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW) != 0)
    return 1;
  double start = cpuSeconds();
  for (int i = 0; i < kResponses; ++i)
    if ((mode == 0 ? sendWritev(s, head, body) : sendSendfile(s, head, memfd)) != 0) return 1;
  printf("mode %d (%s): sender %.1f us CPU per response\n", mode, mode == 0 ? "writev" : "sendfile",
         (cpuSeconds() - start) / kResponses * 1e6);
  fflush(stdout);
  close(s);
  waitpid(reader, NULL, 0);
  return 0;
}
