# JSON Schema of report.json (docs/schema/report.schema.json): real reports of every phantom variant must
# validate, and mutated reports must not (tests/report/validate_report_schema.py). Included from
# tests/CMakeLists.txt (OPTIONAL). Needs /usr/bin/python3 with jsonschema (python3-jsonschema,
# scripts/install-deps.sh); without it the script exits 77 and the test is reported as skipped.
if(TARGET rtaudit)
  add_test(NAME ReportSchema.EveryPhantomVariantValidates
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/validate_report_schema.py
            $<TARGET_FILE:rtaudit>
            ${PROJECT_SOURCE_DIR}/docs/schema/report.schema.json
            ${CMAKE_CURRENT_BINARY_DIR}/schema-scratch)
  set_tests_properties(ReportSchema.EveryPhantomVariantValidates PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    LABELS "report")
endif()
