import WasmBinary

/// The `wasi_snapshot_preview1` functions: name, parameter types, implementation. Every one returns an errno.
extension WASI {
  static let functions: [(String, [ValueType], Implementation)] = [
    ("args_get", [.i32, .i32], { w, m, a in try w.stringsGet(w.arguments, m, a.u32(0), a.u32(1)) }),
    ("args_sizes_get", [.i32, .i32], { w, m, a in try w.stringsSizes(w.arguments, m, a.u32(0), a.u32(1)) }),
    ("environ_get", [.i32, .i32], { w, m, a in try w.stringsGet(w.environment, m, a.u32(0), a.u32(1)) }),
    ("environ_sizes_get", [.i32, .i32], { w, m, a in try w.stringsSizes(w.environment, m, a.u32(0), a.u32(1)) }),
    ("clock_res_get", [.i32, .i32], { w, m, a in try w.clockResGet(m, a.u32(0), a.u32(1)) }),
    ("clock_time_get", [.i32, .i64, .i32], { w, m, a in try w.clockTimeGet(m, a.u32(0), a.u32(2)) }),
    ("random_get", [.i32, .i32], { w, m, a in try w.randomGet(m, a.u32(0), a.u32(1)) }),
    ("sched_yield", [], { _, _, _ in yieldProcessor() }),
    ("proc_raise", [.i32], { _, _, _ in throw Errno.nosys }),
    ("poll_oneoff", [.i32, .i32, .i32, .i32], { w, m, a in try w.pollOneoff(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3)) }),

    ("fd_advise", [.i32, .i64, .i64, .i32], { w, m, a in try w.fdAdvise(a.u32(0), a.u64(1), a.u64(2), a.u32(3)) }),
    ("fd_allocate", [.i32, .i64, .i64], { w, m, a in try w.fdAllocate(a.u32(0), a.u64(1), a.u64(2)) }),
    ("fd_close", [.i32], { w, m, a in try w.fdClose(a.u32(0)) }),
    ("fd_datasync", [.i32], { w, m, a in try w.fdSync(a.u32(0), dataOnly: true) }),
    ("fd_sync", [.i32], { w, m, a in try w.fdSync(a.u32(0), dataOnly: false) }),
    ("fd_fdstat_get", [.i32, .i32], { w, m, a in try w.fdFdstatGet(m, a.u32(0), a.u32(1)) }),
    ("fd_fdstat_set_flags", [.i32, .i32], { w, m, a in try w.fdFdstatSetFlags(a.u32(0), a.u32(1)) }),
    ("fd_fdstat_set_rights", [.i32, .i64, .i64], { w, m, a in try w.fdFdstatSetRights(a.u32(0), a.u64(1), a.u64(2)) }),
    ("fd_filestat_get", [.i32, .i32], { w, m, a in try w.fdFilestatGet(m, a.u32(0), a.u32(1)) }),
    ("fd_filestat_set_size", [.i32, .i64], { w, m, a in try w.fdFilestatSetSize(a.u32(0), a.u64(1)) }),
    ("fd_filestat_set_times", [.i32, .i64, .i64, .i32], { w, m, a in
      try w.fdFilestatSetTimes(a.u32(0), a.u64(1), a.u64(2), a.u32(3)) }),
    ("fd_pread", [.i32, .i32, .i32, .i64, .i32], { w, m, a in
      try w.fdRead(m, a.u32(0), a.u32(1), a.u32(2), offset: a.u64(3), a.u32(4)) }),
    ("fd_pwrite", [.i32, .i32, .i32, .i64, .i32], { w, m, a in
      try w.fdWrite(m, a.u32(0), a.u32(1), a.u32(2), offset: a.u64(3), a.u32(4)) }),
    ("fd_read", [.i32, .i32, .i32, .i32], { w, m, a in try w.fdRead(m, a.u32(0), a.u32(1), a.u32(2), offset: nil, a.u32(3)) }),
    ("fd_write", [.i32, .i32, .i32, .i32], { w, m, a in try w.fdWrite(m, a.u32(0), a.u32(1), a.u32(2), offset: nil, a.u32(3)) }),
    ("fd_prestat_get", [.i32, .i32], { w, m, a in try w.fdPrestatGet(m, a.u32(0), a.u32(1)) }),
    ("fd_prestat_dir_name", [.i32, .i32, .i32], { w, m, a in try w.fdPrestatDirName(m, a.u32(0), a.u32(1), a.u32(2)) }),
    ("fd_readdir", [.i32, .i32, .i32, .i64, .i32], { w, m, a in try w.fdReaddir(m, a.u32(0), a.u32(1), a.u32(2), a.u64(3), a.u32(4)) }),
    ("fd_renumber", [.i32, .i32], { w, m, a in try w.fdRenumber(a.u32(0), a.u32(1)) }),
    ("fd_seek", [.i32, .i64, .i32, .i32], { w, m, a in try w.fdSeek(m, a.u32(0), a.u64(1), a.u32(2), a.u32(3)) }),
    ("fd_tell", [.i32, .i32], { w, m, a in try w.fdTell(m, a.u32(0), a.u32(1)) }),

    ("path_create_directory", [.i32, .i32, .i32], { w, m, a in try w.pathCreateDirectory(m, a.u32(0), a.u32(1), a.u32(2)) }),
    ("path_filestat_get", [.i32, .i32, .i32, .i32, .i32], { w, m, a in
      try w.pathFilestatGet(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4)) }),
    ("path_filestat_set_times", [.i32, .i32, .i32, .i32, .i64, .i64, .i32], { w, m, a in
      try w.pathFilestatSetTimes(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u64(4), a.u64(5), a.u32(6)) }),
    ("path_link", [.i32, .i32, .i32, .i32, .i32, .i32, .i32], { w, m, a in
      try w.pathLink(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4), a.u32(5), a.u32(6)) }),
    ("path_open", [.i32, .i32, .i32, .i32, .i32, .i64, .i64, .i32, .i32], { w, m, a in
      try w.pathOpen(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4), a.u64(5), a.u64(6), a.u32(7), a.u32(8)) }),
    ("path_readlink", [.i32, .i32, .i32, .i32, .i32, .i32], { w, m, a in
      try w.pathReadlink(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4), a.u32(5)) }),
    ("path_remove_directory", [.i32, .i32, .i32], { w, m, a in try w.pathRemove(m, a.u32(0), a.u32(1), a.u32(2), directory: true) }),
    ("path_unlink_file", [.i32, .i32, .i32], { w, m, a in try w.pathRemove(m, a.u32(0), a.u32(1), a.u32(2), directory: false) }),
    ("path_rename", [.i32, .i32, .i32, .i32, .i32, .i32], { w, m, a in
      try w.pathRename(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4), a.u32(5)) }),
    ("path_symlink", [.i32, .i32, .i32, .i32, .i32], { w, m, a in
      try w.pathSymlink(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4)) }),

    ("sock_accept", [.i32, .i32, .i32], { w, m, a in try w.sockAccept(m, a.u32(0), a.u32(1), a.u32(2)) }),
    ("sock_recv", [.i32, .i32, .i32, .i32, .i32, .i32], { w, m, a in
      try w.sockRecv(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4), a.u32(5)) }),
    ("sock_send", [.i32, .i32, .i32, .i32, .i32], { w, m, a in
      try w.sockSend(m, a.u32(0), a.u32(1), a.u32(2), a.u32(3), a.u32(4)) }),
    ("sock_shutdown", [.i32, .i32], { w, m, a in try w.sockShutdown(a.u32(0), a.u32(1)) }),
  ]
}
