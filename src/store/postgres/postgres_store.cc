#include "store/postgres/postgres_store.h"

namespace vitals::store {

// Scaffolding while the implementation is written (issue 16): refuses to open.
core::Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  (void)options;
  return core::Status::FailedPrecondition("the PostgreSQL store is not built yet");
}

}  // namespace vitals::store
