#include "rtaudit/net/archive.hpp"

#include "rtaudit/dicom/load.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <thread>

namespace rtaudit::net {

namespace fs = std::filesystem;

namespace {

double mtime_seconds(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
}

/// Creates the folders of `dir` below `root` one by one, syncing each parent, so a new folder survives a crash.
bool make_dirs_durably(const fs::path& root, const fs::path& relative_dir) {
  fs::path at = root;
  for (const auto& part : relative_dir) {
    const fs::path next = at / part;
    if (::mkdir(next.c_str(), 0750) == 0) {
      if (!sync_path(at)) return false;
    } else if (errno != EEXIST) {
      return false;
    }
    at = next;
  }
  return true;
}

}  // namespace

bool sync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

double Archive::clock_seconds() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

std::unique_ptr<Archive> Archive::open(const fs::path& root, std::uint64_t quota_bytes, std::vector<std::string>* problems, std::string* error) {
  std::error_code ec;
  for (const char* sub : {"objects", "incoming", "cases"}) {
    fs::create_directories(root / sub, ec);
    if (ec) {
      *error = fmt::format("cannot create the storage folder {}: {}", (root / sub).string(), ec.message());
      return nullptr;
    }
  }
  std::unique_ptr<Archive> a(new Archive(fs::absolute(root), quota_bytes));
  // Partial files of transfers a crash interrupted were never acknowledged: they go.
  for (const auto& e : fs::directory_iterator(root / "incoming", ec)) fs::remove_all(e.path(), ec);
  for (const auto& e : fs::directory_iterator(root / "cases", ec)) {
    if (e.path().filename().string().rfind(".building-", 0) == 0) fs::remove_all(e.path(), ec);
  }
  for (auto it = fs::recursive_directory_iterator(root / "objects", ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const fs::path& p = it->path();
    const std::string rel = fs::relative(p, a->root_, ec).string();
    auto loaded = dicom::load_file(p.string(), dicom::LoadDepth::Header);
    if (!loaded.file) {
      if (problems) problems->push_back(fmt::format("{}: not indexed: {}", rel, loaded.error));
      continue;
    }
    DcmDataset& ds = *loaded.file->getDataset();
    OFString cls, inst;
    ds.findAndGetOFString(DCM_SOPClassUID, cls);
    ds.findAndGetOFString(DCM_SOPInstanceUID, inst);
    DatasetVerdict v = check_dataset(ds, cls.c_str(), inst.c_str(), true);
    if (!v.accepted()) {
      if (problems) problems->push_back(fmt::format("{}: not indexed: {}", rel, v.reason));
      continue;
    }
    if (object_relative_path(v.object) != rel) {
      if (problems) problems->push_back(fmt::format("{}: not indexed: not where its UIDs place it", rel));
      continue;
    }
    if (!a->uids_.insert(v.object.sop_instance_uid).second) continue;
    v.object.path = rel;
    v.object.bytes = it->file_size(ec);
    v.object.received_at = mtime_seconds(p);
    a->used_ += v.object.bytes;
    a->objects_.push_back(std::move(v.object));
  }
  return a;
}

fs::path Archive::incoming_path() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return root_ / "incoming" / fmt::format("{}-{}.part", ::getpid(), ++counter_);
}

CommitOutcome Archive::commit(const fs::path& incoming, ReceivedObject object) {
  CommitOutcome out;
  std::error_code ec;
  const auto drop = [&](std::uint16_t code, std::string why) {
    fs::remove(incoming, ec);
    out.status = code;
    out.reason = std::move(why);
    return out;
  };
  const std::string rel = object_relative_path(object);
  if (rel.empty()) return drop(status::kCannotUnderstand, "UIDs not valid for storage");
  const std::uint64_t bytes = fs::file_size(incoming, ec);
  if (ec) return drop(status::kOutOfResources, "the received file is gone");
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (uids_.count(object.sop_instance_uid)) {
      out.duplicate = true;
      fs::remove(incoming, ec);
      return out;
    }
    if (quota_ > 0 && used_ + bytes > quota_) {
      return drop(status::kOutOfResources, fmt::format("disk quota reached ({} of {} MB used)", used_ / 1000000, quota_ / 1000000));
    }
    used_ += bytes;  // reserved now, so parallel associations cannot overshoot the quota together
  }
  const auto release = [&] {
    const std::lock_guard<std::mutex> lock(mutex_);
    used_ -= bytes;
  };
  const fs::path final_path = root_ / rel;
  if (!sync_path(incoming) || !make_dirs_durably(root_, fs::path(rel).parent_path())) {
    release();
    return drop(status::kOutOfResources, fmt::format("cannot write to the storage folder: {}", std::strerror(errno)));
  }
  // link() never replaces: a copy stored meanwhile by another association wins and this one is dropped.
  if (::link(incoming.c_str(), final_path.c_str()) != 0) {
    const int e = errno;
    release();
    if (e == EEXIST) {
      out.duplicate = true;
      fs::remove(incoming, ec);
      return out;
    }
    return drop(status::kOutOfResources, fmt::format("cannot store the object: {}", std::strerror(e)));
  }
  if (!sync_path(final_path.parent_path())) {
    // The object is linked but its folder entry may not be durable: refuse, and take it back.
    ::unlink(final_path.c_str());
    release();
    return drop(status::kOutOfResources, "cannot sync the storage folder");
  }
  fs::remove(incoming, ec);
  object.path = rel;
  object.bytes = bytes;
  object.received_at = clock_seconds();
  const std::lock_guard<std::mutex> lock(mutex_);
  uids_.insert(object.sop_instance_uid);
  objects_.push_back(std::move(object));
  return out;
}

std::vector<ReceivedObject> Archive::snapshot() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return objects_;
}

std::uint64_t Archive::used_bytes() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return used_;
}

fs::path Archive::materialise(const CaseSpec& c, std::string* error) {
  const std::string name = case_folder_name(c);
  const fs::path final_dir = root_ / "cases" / name;
  std::error_code ec;
  if (fs::is_directory(final_dir, ec)) return final_dir;
  const fs::path building = root_ / "cases" / (".building-" + name + fmt::format("-{}", std::hash<std::thread::id>{}(std::this_thread::get_id())));
  fs::remove_all(building, ec);
  fs::create_directories(building, ec);
  if (ec) {
    *error = fmt::format("cannot create {}: {}", building.string(), ec.message());
    return {};
  }
  for (const ReceivedObject* m : c.members) {
    const fs::path link = building / fmt::format("{}_{}.dcm", to_string(m->kind), m->sop_instance_uid);
    if (::link((root_ / m->path).c_str(), link.c_str()) != 0 && errno != EEXIST) {
      *error = fmt::format("cannot link {} into the case folder: {}", m->path, std::strerror(errno));
      fs::remove_all(building, ec);
      return {};
    }
  }
  sync_path(building);
  if (::rename(building.c_str(), final_dir.c_str()) != 0) {
    const int e = errno;
    fs::remove_all(building, ec);
    if (fs::is_directory(final_dir, ec)) return final_dir;  // built meanwhile by another thread
    *error = fmt::format("cannot create {}: {}", final_dir.string(), std::strerror(e));
    return {};
  }
  sync_path(final_dir.parent_path());
  return final_dir;
}

}  // namespace rtaudit::net
