/* The native runtime's C ABI (cdnlab-native): the one header a function compiled as a shared
 * object includes. The host (lambda/native/loader.cc) dlopens the object, calls its
 * cdnlab_native_get_module() and refuses a module whose abi_version differs from the host's.
 *
 * Versioning: CDNLAB_NATIVE_ABI_VERSION changes whenever a struct below changes in a way an
 * old plugin or host would misread. Fields are only ever appended to cdnlab_native_context, so
 * `struct_size` lets a plugin see whether a newer field is present.
 *
 * A handler is called on one of the host's worker threads, never on an event loop, with the
 * event JSON bytes (not NUL-terminated) and a context valid only during the call. It answers in
 * one of two ways:
 *   - success: write the response JSON into a buffer from ctx->alloc_response (the host owns and
 *     frees it; no allocator crosses the boundary) and return CDNLAB_NATIVE_OK. A handler that
 *     never calls alloc_response answers `null`, as a Lambda handler returning undefined does;
 *   - failure: call ctx->set_error(type, message) (the host copies both strings) and return
 *     CDNLAB_NATIVE_ERROR; any other non-zero return is reported as an error too.
 * A handler that runs past its timeout is reported to the caller as timed out; its thread is
 * abandoned to finish on its own, so a handler must not keep pointers from ctx after returning.
 * A loaded shared object is never unloaded (an abandoned thread may still be running in it). */
#ifndef CDNLAB_NATIVE_H
#define CDNLAB_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CDNLAB_NATIVE_ABI_VERSION 1u

#define CDNLAB_NATIVE_OK 0
#define CDNLAB_NATIVE_ERROR 1

/* The symbol a plugin exports: `const cdnlab_native_module* cdnlab_native_get_module(void);` */
#define CDNLAB_NATIVE_MODULE_SYMBOL "cdnlab_native_get_module"

typedef struct cdnlab_native_context {
  uint32_t abi_version;      /* the host's CDNLAB_NATIVE_ABI_VERSION */
  uint32_t struct_size;      /* sizeof(cdnlab_native_context) as the host compiled it */
  const char* function_name; /* NUL-terminated, as registered */
  const char* request_id;    /* NUL-terminated invocation id (AWS's context.awsRequestId) */
  uint32_t memory_limit_mb;  /* the function's configured memory size (recorded, not enforced) */
  uint32_t reserved;
  void* host;                /* opaque: pass it back as the first argument of the calls below */

  /* A host-owned buffer of `size` bytes that becomes the response payload (exactly `size`
   * bytes). NULL when `size` exceeds the invocation's response limit: the handler should then
   * set_error. Calling it again discards the previous buffer. */
  char* (*alloc_response)(void* host, size_t size);
  /* Marks the invocation failed with an AWS-style errorType / errorMessage (both NUL-terminated,
   * copied; NULL is read as ""). The last call wins. */
  void (*set_error)(void* host, const char* error_type, const char* error_message);
  /* Milliseconds left before the invocation times out (context.getRemainingTimeInMillis()). */
  int64_t (*remaining_time_ms)(void* host);
  /* Appends `len` bytes to the invocation's log (what a process runtime writes to stdout). */
  void (*log)(void* host, const char* text, size_t len);
} cdnlab_native_context;

typedef int (*cdnlab_native_handler)(const cdnlab_native_context* ctx, const char* event, size_t event_len,
                                     void* user_data);

typedef struct cdnlab_native_function {
  const char* name;              /* unique within the host's registry, [A-Za-z0-9_.-]{1,64} */
  cdnlab_native_handler handler; /* required */
  void* user_data;               /* passed to every call, never touched by the host */
  uint32_t init_ms;              /* modelled cold start of a new environment; 0 = host default */
} cdnlab_native_function;

typedef struct cdnlab_native_module {
  uint32_t abi_version; /* CDNLAB_NATIVE_ABI_VERSION the module was built against */
  uint32_t function_count;
  const cdnlab_native_function* functions; /* function_count entries, static storage */
} cdnlab_native_module;

typedef const cdnlab_native_module* (*cdnlab_native_module_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* CDNLAB_NATIVE_H */
