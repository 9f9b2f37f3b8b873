#pragma once
// Reads a DICOM Spatial Registration object (REG) into case/registration.hpp's SpatialRegistration.
// Never throws on bad data: a file that is not a REG, or has no usable item, gives nullopt with the
// reason in `problems`; a non-rigid or malformed item is skipped and reported, the others kept.
// `problems` receives every problem found; the returned SpatialRegistration::problems holds a copy of
// those about its items, so the registration carries what was left out of it.

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/case/registration.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::dicom {

[[nodiscard]] std::optional<SpatialRegistration> read_spatial_registration(const std::string& file,
                                                                            std::vector<Diagnostic>& problems);

}  // namespace rtaudit::dicom
