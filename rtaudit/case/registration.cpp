#include "rtaudit/case/registration.hpp"

#include <cmath>

namespace rtaudit {
namespace {

double at(const Matrix4& m, int row, int col) { return m[static_cast<std::size_t>(4 * row + col)]; }

}  // namespace

geom::Point3 apply(const Matrix4& m, const geom::Point3& p) {
  // Rigid and affine matrices only: the last row is (0 0 0 1), so no perspective division.
  return {at(m, 0, 0) * p.x + at(m, 0, 1) * p.y + at(m, 0, 2) * p.z + at(m, 0, 3),
          at(m, 1, 0) * p.x + at(m, 1, 1) * p.y + at(m, 1, 2) * p.z + at(m, 1, 3),
          at(m, 2, 0) * p.x + at(m, 2, 1) * p.y + at(m, 2, 2) * p.z + at(m, 2, 3)};
}

Matrix4 multiply(const Matrix4& a, const Matrix4& b) {
  Matrix4 out{};
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      double s = 0;
      for (int k = 0; k < 4; ++k) s += at(a, r, k) * at(b, k, c);
      out[static_cast<std::size_t>(4 * r + c)] = s;
    }
  }
  return out;
}

bool is_rigid(const Matrix4& m, double tolerance) {
  for (const double v : m) {
    if (!std::isfinite(v)) return false;
  }
  if (std::abs(at(m, 3, 0)) > tolerance || std::abs(at(m, 3, 1)) > tolerance || std::abs(at(m, 3, 2)) > tolerance ||
      std::abs(at(m, 3, 3) - 1) > tolerance)
    return false;
  // R^T R = I: the columns are orthonormal.
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      double dot = 0;
      for (int k = 0; k < 3; ++k) dot += at(m, k, i) * at(m, k, j);
      if (std::abs(dot - (i == j ? 1.0 : 0.0)) > tolerance) return false;
    }
  }
  // Determinant +1: a reflection (det -1) is orthonormal too but swaps the patient's sides.
  const double det = at(m, 0, 0) * (at(m, 1, 1) * at(m, 2, 2) - at(m, 1, 2) * at(m, 2, 1)) -
                     at(m, 0, 1) * (at(m, 1, 0) * at(m, 2, 2) - at(m, 1, 2) * at(m, 2, 0)) +
                     at(m, 0, 2) * (at(m, 1, 0) * at(m, 2, 1) - at(m, 1, 1) * at(m, 2, 0));
  return std::abs(det - 1) <= tolerance;
}

std::optional<Matrix4> rigid_inverse(const Matrix4& m, double tolerance) {
  if (!is_rigid(m, tolerance)) return std::nullopt;
  Matrix4 out = identity_matrix();
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) out[static_cast<std::size_t>(4 * r + c)] = at(m, c, r);
  }
  for (int r = 0; r < 3; ++r) {
    double t = 0;
    for (int k = 0; k < 3; ++k) t += at(m, k, r) * at(m, k, 3);
    out[static_cast<std::size_t>(4 * r + 3)] = -t;
  }
  return out;
}

std::optional<FrameLink> find_frame_link(const std::vector<SpatialRegistration>& registrations,
                                         const std::string& from, const std::string& to) {
  if (from == to) return FrameLink{};
  for (const SpatialRegistration& reg : registrations) {
    auto link = [&](const Matrix4& m) {
      return FrameLink{m, reg.sop_instance_uid, reg.file};
    };
    const FrameRegistration* item_from = nullptr;
    const FrameRegistration* item_to = nullptr;
    for (const FrameRegistration& f : reg.frames) {
      // The first item of a frame counts: a REG that lists a frame twice is ambiguous, and the reader
      // keeps the items in file order.
      if (f.frame_of_reference_uid == from && item_from == nullptr) item_from = &f;
      if (f.frame_of_reference_uid == to && item_to == nullptr) item_to = &f;
    }
    // The direct forms first: they use one stored matrix, so no composition error.
    if (to == reg.frame_of_reference_uid && item_from != nullptr) return link(item_from->to_registration_frame);
    if (from == reg.frame_of_reference_uid && item_to != nullptr) {
      if (auto inv = rigid_inverse(item_to->to_registration_frame, kRegistrationRigidTolerance)) return link(*inv);
      continue;
    }
    if (item_from != nullptr && item_to != nullptr) {
      if (auto inv = rigid_inverse(item_to->to_registration_frame, kRegistrationRigidTolerance))
        return link(multiply(*inv, item_from->to_registration_frame));
    }
  }
  return std::nullopt;
}

}  // namespace rtaudit
