// Geographic miss kernels on the synthetic phantom (issue 5): 100,000 points against the clinician's
// CTVn_IMN (exact signed distance, nearest border) on one and on both cores, and the node atlas mapped
// into the patient with its coverage. Points are drawn uniformly in the CTV's bounding box grown by
// 20 mm (about a tenth inside). The phantom is built outside the timed loop. Results go to
// docs/benchmarks.md; never a timed test.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/anatomy/roles.hpp"
#include "rtaudit/miss/classify.hpp"
#include "rtaudit/miss/node_atlas.hpp"
#include "rtaudit/phantom/phantom.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

namespace {

using namespace rtaudit;

struct Fixture {
  phantom::PhantomCase pc;
  anatomy::StructureMap map;
  anatomy::Landmarks landmarks;
  miss::CtvTarget ctv;
  std::vector<geom::Point3> points;   ///< the CTV's box grown by 20 mm
  std::vector<geom::Point3> near;     ///< the CTV's box grown by 5 mm (node-like positions)
  std::optional<miss::AtlasParameters> atlas;
  std::vector<miss::AtlasNode> nodes;
  const geom::Structure* vein = nullptr;

  Fixture() {
    const auto thorax = phantom::load_thorax_atlas(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/phantom/thorax.xml");
    pc = phantom::make_phantom(*thorax.atlas, {});
    const auto names = *anatomy::load_name_table(std::string(RTAUDIT_SOURCE_DIR) + "/rules/names.xml").table;
    geom::BuildOptions build;
    build.fallback_slab_mm = 2.5;
    map = anatomy::bind_structures(pc.structures, anatomy::assign_roles(names, pc.structures, {}), build);
    landmarks = anatomy::find_landmarks(map, anatomy::find_treated_side(map));
    const auto* clinical = anatomy::find_structure(map, "ctvn_imn", anatomy::Side::Left);
    ctv = miss::CtvTarget("clinical", clinical->structure);
    vein = &anatomy::find_structure(map, "im_vein", anatomy::Side::Left)->structure;
    const auto box = *geom::bounding_box(clinical->structure);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> ux(box.min.x - 20, box.max.x + 20), uy(box.min.y - 20, box.max.y + 20),
        uz(box.min.z - 20, box.max.z + 20);
    for (int i = 0; i < 100000; ++i) points.push_back({ux(rng), uy(rng), uz(rng)});
    std::uniform_real_distribution<double> nx(box.min.x - 5, box.max.x + 5), ny(box.min.y - 5, box.max.y + 5), nz(box.min.z - 5, box.max.z + 5);
    for (int i = 0; i < 100000; ++i) near.push_back({nx(rng), ny(rng), nz(rng)});
    atlas = miss::load_atlas_parameters(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/imn-nodes/parameters.xml").parameters;
    std::ifstream in(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/imn-nodes/nodes.csv");
    nodes = miss::parse_atlas_csv(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())).nodes;
    (void)ctv.surface().closest(points.front());  // the AABB tree is built once, on the first query
    std::size_t inside = 0;
    for (const auto& g : miss::locate_all(ctv, points, +1)) inside += g.inside;
    {
      int big = 0, caps = 0;
      double sum = 0;
      for (const auto& t : ctv.surface().triangles()) {
        double lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
        for (const auto& v : t) {
          const double c[3] = {v.x, v.y, v.z};
          for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], c[k]), hi[k] = std::max(hi[k], c[k]);
        }
        const double d = std::hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
        sum += d;
        big += d > 5;
        caps += hi[2] - lo[2] < 1e-9;
      }
      std::printf("triangle bbox diagonal: mean %.2f mm, %d over 5 mm, %d cap triangles\n", sum / static_cast<double>(ctv.surface().triangle_count()), big, caps);
    }
    std::printf("CTV %zu triangles, %zu of %zu points inside, atlas %zu nodes\n", ctv.surface().triangle_count(), inside,
                points.size(), nodes.size());
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

// range(0): threads; range(1): 20 = points in the CTV's box grown by 20 mm, 5 = grown by 5 mm.
void BM_Classify100kPoints(benchmark::State& state) {
  const Fixture& f = fixture();
  const auto threads = static_cast<unsigned>(state.range(0));
  const auto& points = state.range(1) == 5 ? f.near : f.points;
  for (auto _ : state) benchmark::DoNotOptimize(miss::locate_all(f.ctv, points, +1, threads));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * points.size()));
}
BENCHMARK(BM_Classify100kPoints)->Args({1, 20})->Args({2, 20})->Args({1, 5})->Args({2, 5})->Unit(benchmark::kMillisecond)->UseRealTime();

// The two parts of a query, apart: the AABB tree's nearest point, and point-in-solid.
void BM_NearestPointOnly(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state)
    for (const auto& p : f.points) benchmark::DoNotOptimize(f.ctv.surface().closest(p));
}
BENCHMARK(BM_NearestPointOnly)->Unit(benchmark::kMillisecond);

void BM_ContainsOnly(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state)
    for (const auto& p : f.points) benchmark::DoNotOptimize(geom::contains(f.ctv.structure(), p));
}
BENCHMARK(BM_ContainsOnly)->Unit(benchmark::kMillisecond);

void BM_AtlasMapAndCover(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    const auto mapping = miss::map_atlas(f.nodes, f.landmarks, *f.vein);
    benchmark::DoNotOptimize(miss::atlas_coverage(mapping, f.ctv.structure(), *f.atlas));
  }
}
BENCHMARK(BM_AtlasMapAndCover)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
