# Reports people read (issue 7): report.html (self-contained, SVG figures drawn from the exact plane
# model and report.json) and summary.csv. Pure: documents and structures in, strings out.
add_library(rtaudit_report_html STATIC
  ${CMAKE_CURRENT_LIST_DIR}/svg.cpp
  ${CMAKE_CURRENT_LIST_DIR}/figures.cpp
  ${CMAKE_CURRENT_LIST_DIR}/html_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/summary_csv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/site_json.cpp)
target_link_libraries(rtaudit_report_html
  PUBLIC rtaudit_geom rtaudit_case rtaudit_report_text nlohmann_json::nlohmann_json
  PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_report_html)
list(APPEND RTAUDIT_CLI_EXTRA_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../cli/report_layers.cpp)

# --pseudonymize: HMAC-SHA256 from OpenSSL's libcrypto (Debian libssl-dev).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
add_library(rtaudit_report_pseudonym STATIC ${CMAKE_CURRENT_LIST_DIR}/pseudonym.cpp)
target_link_libraries(rtaudit_report_pseudonym
  PUBLIC rtaudit_geom nlohmann_json::nlohmann_json
  PRIVATE OpenSSL::Crypto rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_report_pseudonym)
