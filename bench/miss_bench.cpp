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
  std::vector<geom::Point3> points;
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
    atlas = miss::load_atlas_parameters(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/imn-nodes/parameters.xml").parameters;
    std::ifstream in(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/imn-nodes/nodes.csv");
    nodes = miss::parse_atlas_csv(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())).nodes;
    (void)ctv.surface().closest(points.front());  // the AABB tree is built once, on the first query
    std::size_t inside = 0;
    for (const auto& g : miss::locate_all(ctv, points, +1)) inside += g.inside;
    std::printf("CTV %zu triangles, %zu of %zu points inside, atlas %zu nodes\n", ctv.surface().triangle_count(), inside,
                points.size(), nodes.size());
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_Classify100kPoints(benchmark::State& state) {
  const Fixture& f = fixture();
  const auto threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(miss::locate_all(f.ctv, f.points, +1, threads));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.points.size()));
}
BENCHMARK(BM_Classify100kPoints)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

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
