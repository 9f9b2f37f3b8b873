// Bone landmarks from the CT (issue 8): the phantom's CT as generated (400 x 320 x 105), and the same
// anatomy in a clinical-size 512 x 512 x 150 volume (padded with air in-plane, 45 more slices of the
// caudal anatomy), the size the 2 s goal names.
#include "rtaudit/anatomy/ct_bone.hpp"
#include "rtaudit/phantom/phantom.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace rtaudit;

const ImageVolume& phantom_ct() {
  static const ImageVolume ct = [] {
    const auto atlas = phantom::load_thorax_atlas(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/phantom/thorax.xml");
    phantom::PhantomOptions o;
    o.variant = "no-landmarks";
    return phantom::make_phantom(*atlas.atlas, o).ct;
  }();
  return ct;
}

const ImageVolume& clinical_size_ct() {
  static const ImageVolume big = [] {
    const ImageVolume& s = phantom_ct();
    ImageVolume v = s;
    v.columns = 512, v.rows = 512, v.slices = 150;
    const int di = (512 - s.columns) / 2, dj = (512 - s.rows) / 2;
    v.values.assign(static_cast<std::size_t>(512) * 512 * 150, -1000);
    v.slice_positions.clear();
    const double dz = s.slice_positions[1][2] - s.slice_positions[0][2];
    const int extra = 150 - s.slices;
    for (int k = 0; k < 150; ++k) {
      const int src = std::max(0, k - extra);  // the first (caudal) slice repeated below the phantom
      const auto& p = s.slice_positions[static_cast<std::size_t>(src)];
      v.slice_positions.push_back({p[0] - di * s.pixel_spacing[1], p[1] - dj * s.pixel_spacing[0], s.slice_positions[0][2] + (k - extra) * dz});
      for (int j = 0; j < s.rows; ++j)
        for (int i = 0; i < s.columns; ++i)
          v.values[(static_cast<std::size_t>(k) * 512 + j + dj) * 512 + i + di] = s.at(i, j, src);
    }
    return v;
  }();
  return big;
}

void BM_FindBoneLandmarksPhantomCt(benchmark::State& state) {
  const ImageVolume& ct = phantom_ct();
  for (auto _ : state) benchmark::DoNotOptimize(anatomy::find_bone_landmarks(ct));
  state.SetLabel("400 x 320 x 105");
}
BENCHMARK(BM_FindBoneLandmarksPhantomCt)->Unit(benchmark::kMillisecond);

void BM_FindBoneLandmarks512x512x150(benchmark::State& state) {
  const ImageVolume& ct = clinical_size_ct();
  for (auto _ : state) {
    const auto found = anatomy::find_bone_landmarks(ct);
    if (found.ribs_left.size() < 5) state.SkipWithError("ribs not found in the padded volume");
    benchmark::DoNotOptimize(found);
  }
  state.SetLabel("512 x 512 x 150");
}
BENCHMARK(BM_FindBoneLandmarks512x512x150)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
