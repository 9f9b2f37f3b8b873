# The audit queue (issue 9): SQLite by default, PostgreSQL (libpq) for stores shared across departments
# and machines; the PostgreSQL half also holds the cohort results store's tables. One library: the SQLite
# and PostgreSQL queues open each other by the location's form.
find_package(PostgreSQL REQUIRED)
add_library(rtaudit_store_jobs STATIC ${CMAKE_CURRENT_LIST_DIR}/jobs.cpp ${CMAKE_CURRENT_LIST_DIR}/postgres.cpp)
target_link_libraries(rtaudit_store_jobs PUBLIC rtaudit_cohort PRIVATE PostgreSQL::PostgreSQL SQLite::SQLite3 fmt::fmt rtaudit_warnings)
target_include_directories(rtaudit_store_jobs PUBLIC "${PROJECT_SOURCE_DIR}")
