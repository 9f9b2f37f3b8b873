// Bone landmarks from the CT (issue 8): the phantom's CT as generated (400 x 320 x 105), and the same
// anatomy in a clinical-size 512 x 512 x 150 volume (padded with air in-plane, 45 more slices of the
// caudal anatomy), the size the 2 s goal names.
#include "rtaudit/anatomy/ct_bone.hpp"
#include "rtaudit/phantom/clinical_size_ct.hpp"
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
  static const ImageVolume big = phantom::clinical_size_ct(phantom_ct(), 512, 512, 150);
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
