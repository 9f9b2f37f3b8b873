// Reading + geometry kernels on the largest conformance RTSTRUCT (Eclipse prostate phantom,
// 1.9 MB, 16 ROIs, ~54k points). Results are recorded in docs/benchmarks.md; not a timed test.

#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/rtstruct_reader.hpp"
#include "rtaudit/geom/structure.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

namespace {

const std::string kFile = std::string(RTAUDIT_SHARED_DIR) +
                          "/data/conformance/SlicerRT/Testing/Data/DICOM/EclipseProstatePhantomRtData/"
                          "RS.1.2.246.352.71.4.2088656855.2404649.20110920153449.dcm";

bool have_file(benchmark::State& state) {
  if (std::filesystem::exists(kFile)) return true;
  state.SkipWithError("conformance data (../shared) not found");
  return false;
}

void BM_LoadFile(benchmark::State& state) {
  if (!have_file(state)) return;
  for (auto _ : state) {
    auto f = rtaudit::dicom::load_file(kFile, rtaudit::dicom::LoadDepth::Header);
    benchmark::DoNotOptimize(f.file.get());
  }
}
BENCHMARK(BM_LoadFile)->Unit(benchmark::kMillisecond);

void BM_LoadAndReadStructureSet(benchmark::State& state) {
  if (!have_file(state)) return;
  for (auto _ : state) {
    auto f = rtaudit::dicom::load_file(kFile, rtaudit::dicom::LoadDepth::Header);
    auto ss = rtaudit::dicom::read_structure_set(*f.file->getDataset(), kFile);
    benchmark::DoNotOptimize(ss.rois.size());
  }
}
BENCHMARK(BM_LoadAndReadStructureSet)->Unit(benchmark::kMillisecond);

void BM_BuildGeometry(benchmark::State& state) {
  if (!have_file(state)) return;
  auto f = rtaudit::dicom::load_file(kFile, rtaudit::dicom::LoadDepth::Header);
  const auto ss = rtaudit::dicom::read_structure_set(*f.file->getDataset(), kFile);
  std::size_t points = 0;
  for (const auto& [n, roi] : ss.rois) points += roi.point_count();
  for (auto _ : state) {
    double total = 0;
    for (const auto& [n, roi] : ss.rois) total += rtaudit::geom::volume_cc(rtaudit::geom::build_structure(roi.contours).structure).value_or(0);
    benchmark::DoNotOptimize(total);
  }
  state.counters["points"] = static_cast<double>(points);
}
BENCHMARK(BM_BuildGeometry)->Unit(benchmark::kMillisecond);

void BM_ReadAndBuildGeometry(benchmark::State& state) {
  if (!have_file(state)) return;
  for (auto _ : state) {
    auto f = rtaudit::dicom::load_file(kFile, rtaudit::dicom::LoadDepth::Header);
    const auto ss = rtaudit::dicom::read_structure_set(*f.file->getDataset(), kFile);
    double total = 0;
    for (const auto& [n, roi] : ss.rois) total += rtaudit::geom::volume_cc(rtaudit::geom::build_structure(roi.contours).structure).value_or(0);
    benchmark::DoNotOptimize(total);
  }
}
BENCHMARK(BM_ReadAndBuildGeometry)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
