// Heart dose kernels on the synthetic phantom (issue 6): the heart DVH (exact partial volumes on the
// 2.5 mm RTDOSE grid), the geometric proxies with the plan, and the whole heart assessment. The
// phantom, plan and dose are built once outside the timed loop. Results go to docs/benchmarks.md;
// never a timed test.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/anatomy/roles.hpp"
#include "rtaudit/dose/dose_volume.hpp"
#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/heart/assessment.hpp"
#include "rtaudit/heart/proxies.hpp"
#include "rtaudit/phantom/dose_model.hpp"
#include "rtaudit/phantom/phantom.hpp"
#include "rtaudit/phantom/plan_model.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

namespace {

using namespace rtaudit;

struct Fixture {
  phantom::PhantomCase pc;
  anatomy::StructureMap map;
  Plan plan;
  dose::DoseVolume dose;
  const geom::Structure* heart = nullptr;

  Fixture() {
    const auto atlas = phantom::load_thorax_atlas(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/phantom/thorax.xml");
    phantom::PhantomOptions o;
    o.variant = "heart-close";
    pc = phantom::make_phantom(*atlas.atlas, o);
    const auto names = *anatomy::load_name_table(std::string(RTAUDIT_SOURCE_DIR) + "/rules/names.xml").table;
    geom::BuildOptions build;
    build.fallback_slab_mm = 2.5;
    map = anatomy::bind_structures(pc.structures, anatomy::assign_roles(names, pc.structures, {}), build);
    const auto* body = anatomy::find_structure(map, "external", anatomy::Side::None);
    const auto* ptv = anatomy::find_structure(map, "ptv_breast", anatomy::Side::Left);
    const auto* nodal = anatomy::find_structure(map, "ptvn_l4", anatomy::Side::Left);
    phantom::PlanInputs in;
    in.side = phantom::Side::Left;
    in.breast_ptv = &ptv->structure;
    in.nodal_ptv = nodal ? &nodal->structure : nullptr;
    in.body = &body->structure;
    plan = phantom::make_breast_plan(in);
    const DoseGrid grid = phantom::compute_dose(plan, body->structure, phantom::grid_covering(*geom::bounding_box(body->structure), 2.5));
    dose = *dose::to_dose_volume(grid).volume;
    heart = &anatomy::find_structure(map, "heart", anatomy::Side::None)->structure;
    std::printf("heart %.1f cc, dose grid %d x %d x %d at 2.5 mm\n", geom::volume_cc(*heart).value_or(0), dose.nx, dose.ny, dose.nz());
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_HeartDvh(benchmark::State& state) {
  const Fixture& f = fixture();
  dose::DvhOptions o;
  o.max_sample_spacing_mm = static_cast<double>(state.range(0)) / 100.0;
  for (auto _ : state) {
    auto r = dose::compute_dvh(*f.heart, f.dose, o);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel("max sample " + std::to_string(o.max_sample_spacing_mm) + " mm");
}
BENCHMARK(BM_HeartDvh)->Arg(50)->Arg(25)->Arg(125)->Unit(benchmark::kMillisecond);

void BM_HeartProxies(benchmark::State& state) {
  const Fixture& f = fixture();
  heart::ProxyInputs in;
  in.heart = f.heart;
  in.lad = &anatomy::find_structure(f.map, "lad", anatomy::Side::None)->structure;
  in.ipsilateral_lung = &anatomy::find_structure(f.map, "lung", anatomy::Side::Left)->structure;
  const auto* ctv = anatomy::find_structure(f.map, "ctvn_imn", anatomy::Side::Left);
  in.ctvn_imn = {"CTVn_IMN_L", &ctv->structure};
  for (const char* role : {"ptv_breast", "ptvn_l4", "ptvn_imn"}) {
    if (const auto* p = anatomy::find_structure(f.map, role, anatomy::Side::Left)) in.ptvs.push_back({role, &p->structure});
  }
  in.plan = &f.plan;
  for (auto _ : state) {
    auto p = heart::compute_proxies(in);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_HeartProxies)->Unit(benchmark::kMillisecond);

void BM_HeartAssessment(benchmark::State& state) {
  const Fixture& f = fixture();
  heart::HeartInputs in;
  in.structures = &f.map;
  in.treated_side = anatomy::Side::Left;
  in.dose = &f.dose;
  in.plan = &f.plan;
  for (auto _ : state) {
    auto h = heart::assess_heart(in);
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_HeartAssessment)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
