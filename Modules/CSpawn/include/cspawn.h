#ifndef RAPPORT_CSPAWN_H
#define RAPPORT_CSPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (both NULL-terminated) in the working directory `cwd`
/// (NULL: the caller's), with standard input, output and error taken from `in_fd`, `out_fd`
/// and `err_fd`, in a process group of its own, with every signal at its default disposition
/// and none blocked. Every other descriptor of the caller is closed in the child, so a child
/// never keeps a test's listening socket alive.
///
/// Returns 0 and stores the child's pid in `*pid`, or an errno value.
///
/// Test support only (RapportTesting's `ChildProcess`): Foundation's `Process.run()` on Linux
/// over-reads `struct dirent` while listing /proc/self/fd and crashes intermittently when the
/// caller holds many descriptors (swift-corelibs-foundation pull request 5472).
int rapport_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *cwd,
                  int in_fd, int out_fd, int err_fd);

#endif
