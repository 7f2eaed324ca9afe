#ifndef RAPPORT_CSQLITE_SHIM_H
#define RAPPORT_CSQLITE_SHIM_H

#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro Swift cannot import.
static inline sqlite3_destructor_type rapport_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
