// The guideline engine on the synthetic phantom (issue 4): landmarks, the three shipped guidelines'
// reference CTVs, every check and every comparison metric. The phantom is built once outside the timed
// loop; what is timed is what `rtaudit audit` computes after reading the files. Results go to
// docs/benchmarks.md; never a timed test.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/anatomy/roles.hpp"
#include "rtaudit/audit/audit.hpp"
#include "rtaudit/guideline/reference_ctv.hpp"
#include "rtaudit/guideline/rule_set.hpp"
#include "rtaudit/phantom/phantom.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace rtaudit;

struct Fixture {
  phantom::PhantomCase pc;
  anatomy::NameTable names;
  std::vector<guideline::Guideline> rules;
  geom::BuildOptions build;

  Fixture() {
    const auto atlas = phantom::load_thorax_atlas(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/phantom/thorax.xml");
    phantom::PhantomOptions o;
    o.variant = "narrow-margin";
    pc = phantom::make_phantom(*atlas.atlas, o);
    names = *anatomy::load_name_table(std::string(RTAUDIT_SOURCE_DIR) + "/rules/names.xml").table;
    rules = guideline::load_guidelines_dir(std::string(RTAUDIT_SOURCE_DIR) + "/rules").guidelines;
    build.fallback_slab_mm = 2.5;
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

/// Names to roles and every bound ROI into the plane model.
void BM_RolesAndStructures(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    const auto roles = anatomy::assign_roles(f.names, f.pc.structures, {});
    auto map = anatomy::bind_structures(f.pc.structures, roles, f.build);
    benchmark::DoNotOptimize(map);
  }
}
BENCHMARK(BM_RolesAndStructures)->Unit(benchmark::kMillisecond);

void BM_Landmarks(benchmark::State& state) {
  const Fixture& f = fixture();
  const auto roles = anatomy::assign_roles(f.names, f.pc.structures, {});
  const auto map = anatomy::bind_structures(f.pc.structures, roles, f.build);
  for (auto _ : state) {
    auto lm = anatomy::find_landmarks(map, anatomy::find_treated_side(map));
    benchmark::DoNotOptimize(lm);
  }
}
BENCHMARK(BM_Landmarks)->Unit(benchmark::kMillisecond);

/// The three shipped guidelines' reference CTVs.
void BM_ReferenceCtvs(benchmark::State& state) {
  const Fixture& f = fixture();
  const auto roles = anatomy::assign_roles(f.names, f.pc.structures, {});
  const auto map = anatomy::bind_structures(f.pc.structures, roles, f.build);
  const auto lm = anatomy::find_landmarks(map, anatomy::find_treated_side(map));
  for (auto _ : state) {
    for (const auto& g : f.rules) {
      auto ref = guideline::build_reference_ctv(g, "ctvn_imn", lm, map);
      benchmark::DoNotOptimize(ref);
    }
  }
}
BENCHMARK(BM_ReferenceCtvs)->Unit(benchmark::kMillisecond);

/// The whole audit after reading: roles, structures, landmarks, three references, every check and
/// every metric (Dice, Jaccard, volumes, HD, HD95, MSD, surface Dice, APL) against each.
void BM_FullAudit(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    const auto roles = anatomy::assign_roles(f.names, f.pc.structures, {});
    const auto map = anatomy::bind_structures(f.pc.structures, roles, f.build);
    auto result = audit::run_audit(map, roles, f.rules);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_FullAudit)->Unit(benchmark::kMillisecond);

/// The same with the surface sampled at 1 sample/mm² instead of 4: how much of the audit the
/// surface-distance metrics take.
void BM_FullAuditCoarseSurfaceSampling(benchmark::State& state) {
  const Fixture& f = fixture();
  audit::AuditOptions options;
  options.surface.sampling.density_per_mm2 = 1.0;
  for (auto _ : state) {
    const auto roles = anatomy::assign_roles(f.names, f.pc.structures, {});
    const auto map = anatomy::bind_structures(f.pc.structures, roles, f.build);
    auto result = audit::run_audit(map, roles, f.rules, options);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_FullAuditCoarseSurfaceSampling)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
