#pragma once
// A rigid spatial registration between frames of reference, as a DICOM Spatial Registration object
// (REG, SOP class 1.2.840.10008.5.1.4.1.1.66.1) stores it: for each frame B in its Registration
// Sequence, the 4x4 Frame of Reference Transformation Matrix M_B maps a point of B into the
// registration's own frame A (the object's FrameOfReferenceUID): p_A = M_B p_B (PS3.3 C.20.2).
// Only RIGID (and RIGID_SCALE, refused) matrix types are understood; a deformable registration is
// reported, never approximated.

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/geom/types.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit {

/// Row-major 4x4 homogeneous matrix, last row (0 0 0 1) for a rigid transform.
using Matrix4 = std::array<double, 16>;

/// How far from rigid a stored matrix may be and still be used as rigid (DS values written with few
/// digits): the REG reader accepts, and find_frame_link inverts, matrices within this tolerance.
inline constexpr double kRegistrationRigidTolerance = 1e-4;

[[nodiscard]] constexpr Matrix4 identity_matrix() { return {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}; }
[[nodiscard]] geom::Point3 apply(const Matrix4& m, const geom::Point3& p);
[[nodiscard]] Matrix4 multiply(const Matrix4& a, const Matrix4& b);  ///< a * b (b applied first)
/// Inverse of a rigid transform (rotation^T, -rotation^T t); nullopt when `m` is not rigid within
/// `tolerance` (rotation part not orthonormal with determinant +1, or last row not 0 0 0 1).
[[nodiscard]] std::optional<Matrix4> rigid_inverse(const Matrix4& m, double tolerance = 1e-6);
[[nodiscard]] bool is_rigid(const Matrix4& m, double tolerance = 1e-6);

struct FrameRegistration {
  std::string frame_of_reference_uid;  ///< frame B of the item
  Matrix4 to_registration_frame = identity_matrix();  ///< M_B: B -> A
  std::string matrix_type;             ///< FrameOfReferenceTransformationMatrixType, e.g. RIGID
};

struct SpatialRegistration {
  std::string file;
  std::string sop_instance_uid;
  std::string frame_of_reference_uid;  ///< frame A
  std::vector<FrameRegistration> frames;
  std::vector<Diagnostic> problems;    ///< non-rigid items, unreadable matrices (items skipped, reported)
};

/// The transform taking points of frame `from` into frame `to` through any of `registrations`
/// (direct: `to` is A and `from` an item; or through A: both are items, M_to^-1 M_from), with the
/// REG it used; nullopt when none links them. from == to gives the identity and no REG.
struct FrameLink {
  Matrix4 transform = identity_matrix();
  std::string registration_sop_instance_uid;  ///< empty for the identity
  std::string registration_file;
};
[[nodiscard]] std::optional<FrameLink> find_frame_link(const std::vector<SpatialRegistration>& registrations,
                                                       const std::string& from, const std::string& to);

}  // namespace rtaudit
