using LeaseActors.Internal;
using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Leases.Internal;
using LeaseActors.Processes;
using LeaseActors.Processes.Internal;
using LeaseActors.Rdma.Internal;
using LeaseActors.Signals;
using LeaseActors.Simulation;
using LeaseActors.Sockets.Internal;
using LeaseActors.Tracing;

namespace LeaseActors.Kernel.Internal;

/// <summary>
/// The root of an emulated kernel. Owns the sysctls, id allocation, the namespace (path → inode), the process
/// registry (pids, names, groups, threads, credentials, liveness) and the labels processes have reached. Routes
/// signals (<c>kill</c>, <c>send_sigio</c>) and owner queries, forwards opens and path calls to inode lease
/// managers, forks processes and creates socket pairs. Its children: one lease manager per inode, one process
/// actor per process, one socket actor per socket pair.
/// </summary>
internal sealed class KernelActor : MessageActor
{
    private readonly KernelOptions _options;
    private readonly KernelTrace _trace;
    private readonly KernelHosting _hosting;
    private readonly DeterministicRandom _random;
    private readonly Dictionary<string, InodeEntry> _namespace = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ProcEntry> _procs = [];
    private readonly Dictionary<string, int> _procNames = new(StringComparer.Ordinal);
    /// <summary>Threads created with clone, by tid. A process's main thread (tid = pid) is its <see cref="ProcEntry"/>.</summary>
    private readonly Dictionary<int, ThreadEntry> _threads = [];
    /// <summary>Names of threads created with clone; a name not here names a process's main thread (<see cref="_procNames"/>).</summary>
    private readonly Dictionary<string, int> _threadNames = new(StringComparer.Ordinal);
    private readonly List<int> _unstarted = [];
    private readonly Dictionary<string, IActorRef> _socketsInstalling = new(StringComparer.Ordinal);
    private readonly HashSet<string> _socketNames = new(StringComparer.Ordinal);
    private bool _startRequested;
    private readonly HashSet<(string Process, string Label)> _labels = [];
    /// <summary>Processes waiting for a label not reached yet, by (process, label), each list in arrival order.</summary>
    private readonly Dictionary<(string Process, string Label), List<AwaitLabel>> _labelWaiters = [];
    private readonly List<IActorRef> _managers = [];
    private Sysctls _sysctls;
    private int _nextPid;
    private long _nextInode = 1;
    private long _nextOfd = 1;
    private int _nextSocket = 1;
    private long _nextBlock = 1;
    /// <summary>The free list as runs (first block, count); the last run is the front, handed out first.</summary>
    private readonly List<(long First, long Count)> _freeRuns = [];
    private ProcessActor.Settings? _processSettings;
    private readonly Dictionary<int, ProcessImage> _freshImages = [];

    private sealed record InodeEntry(InodeId Inode, IActorRef Manager, FileType Type);

    private sealed class ProcEntry(string name, int pid, IActorRef actor, Creds creds, int pgid)
    {
        public string Name { get; } = name;
        public int Pid { get; } = pid;
        public IActorRef Actor { get; } = actor;
        public Creds Creds { get; set; } = creds;
        public int Pgid { get; set; } = pgid;
        public bool Alive { get; set; } = true;

        /// <summary>Whether its main thread (tid = pid) still runs: false once it ended (exit_thread) or the process exited.</summary>
        public bool MainThreadAlive { get; set; } = true;

        /// <summary>The process that forked it, or null for a process of the scenario (whose parent reaps it at once, as a shell does).</summary>
        public int? ParentPid { get; init; }

        /// <summary>
        /// Released by its parent's wait: until then an exited process is a zombie whose pid still has its task, so
        /// F_GETOWN still reads it (<c>f_getown</c> checks <c>pid_task</c>). Programs have no wait step, so a forked
        /// child stays a zombie until its parent exits and init reaps it.
        /// </summary>
        public bool Reaped { get; set; }

        /// <summary>Whether the pid still names a task: alive, or a zombie not yet reaped.</summary>
        public bool HasTask => Alive || !Reaped;

        /// <summary>The pids of the processes it forked (null until the first), so that its exit finds them without a scan of every process.</summary>
        public List<int>? Children { get; set; }

        /// <summary>The tids of the threads it created beyond its main thread (null until the first).</summary>
        public List<int>? Threads { get; set; }
    }

    private sealed record ThreadEntry(string Name, int Tid, int Pid)
    {
        public bool Alive { get; set; } = true;
    }

    public KernelActor(KernelOptions options, KernelTrace trace, DeterministicRandom random, KernelHosting? hosting = null)
    {
        _options = options;
        _trace = trace;
        _hosting = hosting ?? KernelHosting.Local;
        _trace.UseSimulationClock(Context.System.Scheduler);
        _random = random;
        _sysctls = new Sysctls(options.LeaseBreakTime, options.LeasesEnable);
        _nextPid = options.FirstPid;

        Receive<EmulatedKernel.CreateFile>(OnCreateFile);
        Receive<EmulatedKernel.Spawn>(OnSpawn);
        Receive<EmulatedKernel.ConnectSocket>(OnConnectSocket);
        Receive<EmulatedKernel.Start>(_ =>
        {
            _startRequested = true;
            StartIfSetUp();
        });
        Receive<UnixSocketActor.EndsInstalled>(m =>
        {
            if (_socketsInstalling.Remove(m.Name, out var requester)) requester.Tell(new EmulatedKernel.SocketConnected(m.Name));
            StartIfSetUp();
        });
        Receive<EmulatedKernel.SetSysctls>(m =>
        {
            _sysctls = new Sysctls(m.LeaseBreakTime ?? _sysctls.LeaseBreakTime, m.LeasesEnable ?? _sysctls.LeasesEnable);
            foreach (var manager in _managers) manager.Tell(new SysctlsChanged(_sysctls));
            Sender.Tell(new EmulatedKernel.SysctlsSet());
        });

        Receive<WriteSysctlOn>(OnWriteSysctl);
        Receive<OpenVerbs>(m =>
        {
            // ibv_open_device: a new description of /dev/infiniband/uverbs0 that owns the regions registered through it.
            var id = new OfdId(_nextOfd++);
            var context = _hosting.Host(Context, "verbs-" + id.Value, new VerbsSpec(id, "verbs:" + m.Process + "." + id.Value), _options, _trace);
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(), new OfdHandle(id, context, new InodeId(0), context, "/dev/infiniband/uverbs0", FileType.VerbsContext, OpenFlags.O_RDWR)));
        });
        Receive<AllocateBlocks>(m => Sender.Tell(new BlocksGranted(Allocate(m.Path, m.Count), m.Write)));
        Receive<FreeBlocks>(m =>
        {
            // Freed blocks go to the front of the free list, in their order: the next file to grow gets them first.
            for (var i = m.Blocks.Runs.Length - 1; i >= 0; i--) _freeRuns.Add(m.Blocks.Runs[i]);
        });
        Receive<KillFOwner>(OnKillFOwner);
        Receive<SignalContextHolders>(m =>
        {
            foreach (var proc in _procs.Values.Where(p => p.Alive).OrderBy(p => p.Pid))
                proc.Actor.Tell(new SignalIfHolding(m.Contexts, m.Leased, m.Path));
            m.AckTo.Tell(new NotifyDone(m.Token));
        });
        Receive<OpenPath>(OnOpenPath);
        Receive<PathOp>(OnPathOp);
        Receive<SendKill>(OnKill);
        Receive<ResolveOwner>(OnResolveOwner);
        Receive<ReportOwner>(OnReportOwner);
        Receive<SendSigio>(OnSendSigio);
        Receive<ForkProcess>(OnFork);
        Receive<CreateSocketPair>(m =>
        {
            var socket = CreateSocket("socketpair-" + _nextSocket, m.Process);
            socket.Tell(m);
        });
        Receive<NewThread>(m =>
        {
            var tid = _nextPid++;
            var name = m.Process + "." + m.Thread;
            _threads[tid] = new ThreadEntry(name, tid, m.Pid);
            _threadNames[name] = tid;
            if (_procs.TryGetValue(m.Pid, out var owner)) (owner.Threads ??= []).Add(tid);
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(tid)));
        });
        Receive<ThreadGone>(m =>
        {
            if (_threads.TryGetValue(m.Tid, out var thread)) thread.Alive = false;
            else if (_procs.TryGetValue(m.Tid, out var main)) main.MainThreadAlive = false;
        });
        Receive<ChangeCreds>(m =>
        {
            if (_procs.TryGetValue(m.Pid, out var p)) p.Creds = m.Creds;
        });
        Receive<ChangePgid>(OnChangePgid);
        Receive<ProcessGone>(OnProcessGone);
        Receive<ReachLabel>(m => Reach(m.Process, m.Label));
        Receive<AwaitLabel>(m =>
        {
            if (_labels.Contains((m.Process, m.Label))) m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
            else if (_labelWaiters.TryGetValue((m.Process, m.Label), out var waiters)) waiters.Add(m);
            else _labelWaiters[(m.Process, m.Label)] = [m];
        });
    }

    private void OnCreateFile(EmulatedKernel.CreateFile m)
    {
        if (_namespace.ContainsKey(m.Path))
        {
            Refuse($"file {m.Path} is defined twice");
            return;
        }
        var entry = CreateInode(m.Path, m.Type, m.OwnerUid, m.Size, m.Dax && m.Type == FileType.Regular);
        Sender.Tell(new EmulatedKernel.FileCreated(m.Path, entry.Inode));
    }

    /// <summary>
    /// Answers a set-up request the kernel cannot carry out with a failure (an Ask fails with it) instead of throwing,
    /// which would restart the kernel and lose every process.
    /// </summary>
    private void Refuse(string reason) => Sender.Tell(new Status.Failure(new ArgumentException(reason)));

    private InodeEntry CreateInode(string path, FileType type, int ownerUid, long size, bool dax = false)
    {
        var inode = new InodeId(_nextInode++);
        var blocks = dax ? Allocate(path, Blocks.Count(size)) : BlockSet.Empty;
        var manager = _hosting.Host(Context, "inode-" + inode.Value, new InodeSpec(inode, path, type, ownerUid, size, _sysctls, dax, blocks, Self), _options, _trace);
        _managers.Add(manager);
        var entry = new InodeEntry(inode, manager, type);
        _namespace[path] = entry;
        return entry;
    }

    /// <summary>Takes <paramref name="count"/> blocks for <paramref name="path"/>: freed ones first, then new ones.</summary>
    private BlockSet Allocate(string path, long count)
    {
        if (count <= 0) return BlockSet.Empty;
        var runs = new List<(long, long)>();
        while (count > 0 && _freeRuns.Count > 0)
        {
            var (first, free) = _freeRuns[^1];
            var take = Math.Min(free, count);
            runs.Add((first, take));
            if (take == free) _freeRuns.RemoveAt(_freeRuns.Count - 1);
            else _freeRuns[^1] = (first + take, free - take);
            count -= take;
        }
        if (count > 0)
        {
            runs.Add((_nextBlock, count));
            _nextBlock += count;
        }
        var granted = BlockSet.OfRuns(runs);
        _trace.BlocksAllocated(path, granted);
        return granted;
    }

    private void OnKillFOwner(KillFOwner m)
    {
        var owner = m.Owner;
        var targets = owner.Type == PidType.Pgid
            ? _procs.Values.Where(p => p.Alive && p.Pgid == owner.Id).OrderBy(p => p.Pid).ToList()
            : TryGetThread(owner.Id, out _, out var threadPid, out var threadAlive) && threadAlive && _procs[threadPid].Alive ? [_procs[threadPid]] : [];
        foreach (var target in targets)
        {
            _trace.PolicyKill(target.Name, m.Path, "its layout lease on " + m.Path + " was not released by the break deadline");
            _trace.SignalSent(target.Name, Sig.SIGKILL, Sig.SI_KERNEL, 0, null, "revoke-kill on " + m.Path);
            target.Actor.Tell(new DeliverSignal(Sig.SIGKILL, new SigInfo(Sig.SIGKILL, Sig.SI_KERNEL, 0, 0), "revoke-kill on " + m.Path));
        }
    }

    private void OnSpawn(EmulatedKernel.Spawn m)
    {
        if (_procNames.ContainsKey(m.Name))
        {
            Refuse($"process {m.Name} is defined twice");
            return;
        }
        var pid = _nextPid++;
        var actions = m.Actions ?? ImmutableDictionary<int, SignalAction>.Empty;
        ImmutableHashSet<int> blocked = m.Blocked.IsDefault ? [] : [.. m.Blocked.Where(s => s is not (Sig.SIGKILL or Sig.SIGSTOP))];
        // Akka keeps each process's image in its props for its whole life; images with no signal state are shared per uid.
        var image = actions.IsEmpty && blocked.IsEmpty && _freshImages.TryGetValue(m.Uid, out var fresh)
            ? fresh
            : new ProcessImage(Creds.Of(m.Uid), null, [], ImmutableDictionary<string, int>.Empty, [], actions, blocked);
        if (actions.IsEmpty && blocked.IsEmpty) _freshImages[m.Uid] = image;
        var actor = CreateProcess(m.Name, pid, image, m.Program, m.ExitAtEnd, parent: null);
        _unstarted.Add(pid);
        Sender.Tell(new EmulatedKernel.Spawned(m.Name, new Pid(pid), actor));
    }

    private IActorRef CreateProcess(string name, int pid, ProcessImage image, ImmutableArray<Step> program, bool exitAtEnd, string? parent)
    {
        var seed = DeterministicRandom.Derive(_random.NextUInt64(), name);
        // Every process of a kernel shares one settings object (Akka keeps a process's props, and so its settings, for its life).
        _processSettings ??= new ProcessActor.Settings(Self, _options.HandlerFault, _options.SigPendingLimit, _trace, _options.Policy, _options.Chaos);
        var actor = _hosting.Host(Context, "proc-" + pid, new ProcessSpec(name, pid, Self, image, program, exitAtEnd, seed) { Shared = _processSettings }, _options, _trace);
        var parentPid = parent is not null && _procNames.TryGetValue(parent, out var pp) ? pp : (int?)null;
        _procs[pid] = new ProcEntry(name, pid, actor, image.Creds, image.Pgid ?? pid) { ParentPid = parentPid };
        if (parentPid is { } ppid) (_procs[ppid].Children ??= []).Add(pid);
        _procNames[name] = pid;
        // The main thread is named after the process; a clone'd thread named so before is no longer found by that name.
        _threadNames.Remove(name);
        _trace.ProcessCreated(name, pid, parent);
        return actor;
    }

    private void OnConnectSocket(EmulatedKernel.ConnectSocket m)
    {
        if (_socketsInstalling.ContainsKey(m.Name) || _socketNames.Contains(m.Name))
        {
            Refuse($"socket {m.Name} is defined twice");
            return;
        }
        if (!_procNames.TryGetValue(m.ProcessA, out var a) || !_procNames.TryGetValue(m.ProcessB, out var b))
        {
            Refuse($"socket {m.Name}: no process {(_procNames.ContainsKey(m.ProcessA) ? m.ProcessB : m.ProcessA)}");
            return;
        }
        _socketNames.Add(m.Name);
        var socket = CreateSocket(m.Name, null);
        // The ends reach the processes through the socket actor; programs start only once that is done, so a
        // program's first step can use its end (acknowledged, and Start carried out, on EndsInstalled).
        _socketsInstalling[m.Name] = Sender;
        socket.Tell(new UnixSocketActor.InstallEnds(m.Name, _procs[a].Actor, _procs[b].Actor));
    }

    /// <summary>Starts the spawned programs once <see cref="EmulatedKernel.Start"/> came and every connected socket's ends are installed.</summary>
    private void StartIfSetUp()
    {
        if (!_startRequested || _socketsInstalling.Count > 0) return;
        foreach (var pid in _unstarted) _procs[pid].Actor.Tell(new StartProgram());
        _unstarted.Clear();
        _unstarted.TrimExcess();
        _startRequested = false;
    }

    private IActorRef CreateSocket(string name, string? process)
    {
        var ofd0 = new OfdId(_nextOfd++);
        var ofd1 = new OfdId(_nextOfd++);
        _ = process;
        return Context.ActorOf(UnixSocketActor.Props(name, ofd0, ofd1, Self, _trace, new Chaos.ChaosInjector(_options.Chaos, "socket:" + name, _trace), _options, _hosting), "socket-" + _nextSocket++);
    }

    private void OnWriteSysctl(WriteSysctlOn m)
    {
        // /proc/sys/fs/{lease-break-time,leases-enable}: proc_dointvec files, mode 0644 root.
        if (m.Entry is not ("lease-break-time" or "leases-enable"))
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ENOENT)));
            return;
        }
        if (m.Creds.Fsuid != 0)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EACCES)));
            return;
        }
        if (m.Value is < int.MinValue or > int.MaxValue)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL)));
            return;
        }
        _sysctls = m.Entry == "lease-break-time"
            ? _sysctls with { LeaseBreakTime = TimeSpan.FromSeconds(m.Value) }
            : _sysctls with { LeasesEnable = m.Value != 0 };
        _trace.Record("sysctl", ("process", m.Process), ("entry", m.Entry), ("value", m.Value));
        // The managers get the new values before the writer's next call can reach them (mailboxes are FIFO and
        // this message is enqueued before the reply).
        foreach (var manager in _managers) manager.Tell(new SysctlsChanged(_sysctls));
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
    }

    private void OnOpenPath(OpenPath m)
    {
        if (ProcFdLink.Match(m.Path) is { Success: true } link)
        {
            // /proc/<pid>/fd/<n> is a magic link to the file itself (proc_fd_link): the open lands on the same inode
            // and makes a new description that breaks leases like any open (SEMANTICS §5, case B13).
            var pid = link.Groups[1].Value == "self" ? m.Pid : int.Parse(link.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!_procs.TryGetValue(pid, out var owner) || !owner.Alive || !int.TryParse(link.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture, out var fd))
            {
                m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ENOENT)));
                return;
            }
            owner.Actor.Tell(new OpenThroughFd(new OpenInode(m.CallId, m.ReplyTo, m.Process, new OfdId(_nextOfd++), m.Flags), fd));
            return;
        }
        if (!_namespace.TryGetValue(m.Path, out var entry))
        {
            if ((m.Flags & OpenFlags.O_CREAT) == 0 || (m.Flags & OpenFlags.O_PATH) != 0)
            {
                m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ENOENT)));
                return;
            }
            entry = CreateInode(m.Path, FileType.Regular, m.Creds.Fsuid, 0);
        }
        entry.Manager.Tell(new OpenInode(m.CallId, m.ReplyTo, m.Process, new OfdId(_nextOfd++), m.Flags));
    }

    private static readonly System.Text.RegularExpressions.Regex ProcFdLink = new(@"^/proc/(self|[0-9]+)/fd/([0-9]+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private void OnPathOp(PathOp m)
    {
        if (m.Call is Truncate { Length: < 0 })
        {
            // do_sys_truncate: a negative length is EINVAL before the path is looked up.
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL)));
            return;
        }
        switch (m.Call)
        {
            case Truncate t when Lookup(t.Path, m) is { } e:
                e.Manager.Tell(new TruncateInode(m.CallId, m.ReplyTo, m.Process, t.Length, Breaks: true, _procNames.GetValueOrDefault(m.Process)));
                break;
            case Stat s when Lookup(s.Path, m) is { } e:
                e.Manager.Tell(new StatInode(m.CallId, m.ReplyTo));
                break;
            case Chown c when Lookup(c.Path, m) is { } e:
                if (m.Creds.Euid != 0) { m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EPERM))); return; }
                e.Manager.Tell(new ChownInode(m.CallId, m.ReplyTo, c.Uid));
                break;
            case Chmod c when Lookup(c.Path, m) is not null:
                Ok(m);
                break;
            case Utimensat u when Lookup(u.Path, m) is not null:
                Ok(m);
                break;
            case Unlink u when Lookup(u.Path, m) is { } e:
                if (e.Type == FileType.Directory) { m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EISDIR))); return; }
                _namespace.Remove(u.Path);
                Ok(m);
                break;
            case Rename r when Lookup(r.From, m) is { } e:
                _namespace.Remove(r.From);
                _namespace[r.To] = e;
                Ok(m);
                break;
            case Link l when Lookup(l.Existing, m) is { } e:
                if (_namespace.ContainsKey(l.NewPath)) { m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EEXIST))); return; }
                _namespace[l.NewPath] = e;
                Ok(m);
                break;
            case Truncate or Stat or Chown or Chmod or Utimensat or Unlink or Rename or Link:
                break; // Lookup answered ENOENT
            default:
                m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ENOSYS)));
                break;
        }
    }

    private static void Ok(PathOp m) => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));

    private InodeEntry? Lookup(string path, PathOp m)
    {
        if (_namespace.TryGetValue(path, out var entry)) return entry;
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ENOENT)));
        return null;
    }

    // ---- signals ----

    private void OnKill(SendKill m)
    {
        if (!Sig.IsValid(m.Signo) && m.Signo != 0)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EINVAL)));
            return;
        }
        var targets = ResolveTargets(m.Target);
        if (targets.Count == 0)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ESRCH)));
            return;
        }
        var allowed = targets.Where(t => MayKill(m.Creds, t.Creds)).ToList();
        if (allowed.Count == 0)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EPERM)));
            return;
        }
        if (m.Signo != 0)
        {
            foreach (var target in allowed)
            {
                if (!target.Alive)
                {
                    // kill() of a zombie succeeds; the signal goes nowhere.
                    _trace.SignalLost(null, target.Name, "kill of a zombie by " + m.Process);
                    continue;
                }
                _trace.SignalSent(target.Name, m.Signo, Sig.SI_USER, 0, null, "kill by " + m.Process);
                target.Actor.Tell(new DeliverSignal(m.Signo, new SigInfo(m.Signo, Sig.SI_USER, 0, 0), m.Process));
            }
        }
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
    }

    private List<ProcEntry> ResolveTargets(ProcessRef target)
    {
        var result = new List<ProcEntry>();
        int? id = target.Pid;
        if (target.Name is { } name) id = _procNames.TryGetValue(name, out var p) ? p : null;
        if (id is not { } value) return result;
        // A zombie (exited, not yet reaped) is still a target: kill() of it succeeds and the signal goes nowhere.
        if (target.IsGroup)
        {
            result.AddRange(_procs.Values.Where(p => p.HasTask && p.Pgid == value).OrderBy(p => p.Pid));
        }
        else if (_procs.TryGetValue(value, out var proc) && proc.HasTask)
        {
            result.Add(proc);
        }
        return result;
    }

    private static bool MayKill(Creds sender, Creds target) =>
        sender.Euid == 0 || sender.Uid == target.Uid || sender.Uid == target.Suid || sender.Euid == target.Uid || sender.Euid == target.Suid;

    private void OnResolveOwner(ResolveOwner m)
    {
        FOwner? owner = null;
        if (m.Target is { } target && !(target.Pid == 0 && target.Name is null))
        {
            int? id = target.Pid;
            if (target.Name is { } name)
            {
                if (m.Kind == OwnerKind.F_OWNER_TID) id = _threadNames.TryGetValue(name, out var t) ? t : _procNames.TryGetValue(name, out var main) ? main : null;
                else id = _procNames.TryGetValue(name, out var p) ? p : null;
            }
            // f_setown / f_setown_ex: find_vpid must find the number, i.e. some task (a zombie too, until reaped)
            // still uses it as its pid, thread id or process group; else ESRCH.
            var exists = id is { } v && PidInUse(v);
            if (!exists)
            {
                m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ESRCH)));
                return;
            }
            var type = m.Kind switch
            {
                OwnerKind.F_OWNER_TID => PidType.Pid,
                OwnerKind.F_OWNER_PGRP => PidType.Pgid,
                _ => target.IsGroup ? PidType.Pgid : PidType.Tgid,
            };
            owner = new FOwner(id!.Value, type, m.Creds.Uid, m.Creds.Euid);
        }
        m.Ofd.Actor.Tell(new SetOwner(m.CallId, m.ReplyTo, owner));
    }

    private bool PidInUse(int id) =>
        (_procs.TryGetValue(id, out var p) && p.HasTask)
        || (TryGetThread(id, out _, out var threadPid, out var threadAlive) && threadAlive && _procs.TryGetValue(threadPid, out var tp) && tp.HasTask)
        || _procs.Values.Any(q => q.HasTask && q.Pgid == id);

    private void OnReportOwner(ReportOwner m)
    {
        if (m.Extended)
        {
            var kind = m.Owner?.Type switch
            {
                PidType.Tgid => OwnerKind.F_OWNER_PID,
                PidType.Pgid => OwnerKind.F_OWNER_PGRP,
                _ => OwnerKind.F_OWNER_TID,
            };
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.OkMany((long)kind, m.Owner?.Id ?? 0)));
            return;
        }
        // f_getown: 0 unless a task exists for the owner pid with the owner's type (a zombie's task still does).
        long value = 0;
        if (m.Owner is { } owner)
        {
            var alive = owner.Type switch
            {
                PidType.Pgid => _procs.Values.Any(p => p.HasTask && p.Pgid == owner.Id),
                PidType.Tgid => _procs.TryGetValue(owner.Id, out var p) && p.HasTask,
                _ => TryGetThread(owner.Id, out _, out var threadPid, out var threadAlive) && threadAlive && _procs[threadPid].Alive,
            };
            if (alive) value = owner.Type == PidType.Pgid ? -owner.Id : owner.Id;
        }
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(value)));
    }

    private void OnSendSigio(SendSigio m)
    {
        SendSigioTo(m);
        // The signals are queued at their targets' mailboxes before the lease manager answers the breaker.
        m.AckTo?.Tell(new NotifyDone(m.Token));
    }

    private void SendSigioTo(SendSigio m)
    {
        // send_sigio: for TGID/PID owners the task of the owner pid (a thread) must exist; PGID: every member.
        var owner = m.Owner;
        var targets = new List<ProcEntry>();
        if (owner.Type == PidType.Pgid)
        {
            targets.AddRange(_procs.Values.Where(p => p.Alive && p.Pgid == owner.Id).OrderBy(p => p.Pid));
        }
        else if (TryGetThread(owner.Id, out _, out var threadPid, out var threadAlive) && threadAlive && _procs[threadPid].Alive)
        {
            targets.Add(_procs[threadPid]);
        }
        var ownerName = DescribeOwner(owner);
        if (targets.Count == 0)
        {
            _trace.SignalLost(m.Ofd.Value, ownerName, owner.Type == PidType.Pgid ? "empty group" : "owner exited");
            return;
        }
        foreach (var target in targets)
        {
            // sigio_perm
            var c = target.Creds;
            if (!(owner.Euid == 0 || owner.Euid == c.Suid || owner.Euid == c.Uid || owner.Uid == c.Suid || owner.Uid == c.Uid))
            {
                _trace.SignalLost(m.Ofd.Value, target.Name, "permission");
                continue;
            }
            SigInfo info;
            if (m.Signum == 0) info = new SigInfo(Sig.SIGIO, Sig.SI_KERNEL, 0, 0);
            else
            {
                var code = m.Signum != Sig.SIGIO && Sig.HasSpecificCodes(m.Signum) ? Sig.SI_SIGIO : Sig.POLL_MSG;
                info = new SigInfo(m.Signum, code, m.Fd, Sig.PollMsgBand);
            }
            _trace.SignalSent(target.Name, info.Signo, info.Code, info.Fd, m.Ofd.Value, "lease break on " + m.Path);
            // PIDTYPE_PID (F_OWNER_TID): the signal goes to that thread's private pending set (send_sigio_to_task, type).
            target.Actor.Tell(new DeliverSignal(info.Signo, info, "lease break on " + m.Path, SigioFallback: m.Signum != 0,
                Tid: owner.Type == PidType.Pid ? owner.Id : null));
        }
    }

    private string DescribeOwner(FOwner owner) => owner.Type switch
    {
        PidType.Pgid => "group " + (_procs.TryGetValue(owner.Id, out var p) ? p.Name : owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        _ => TryGetThread(owner.Id, out var threadName, out _, out _) ? threadName : owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The thread <paramref name="tid"/>: one created with clone, or a process's main thread (tid = pid).</summary>
    private bool TryGetThread(int tid, out string name, out int pid, out bool alive)
    {
        if (_threads.TryGetValue(tid, out var thread))
        {
            (name, pid, alive) = (thread.Name, thread.Pid, thread.Alive);
            return true;
        }
        if (_procs.TryGetValue(tid, out var main))
        {
            (name, pid, alive) = (main.Name, tid, main.MainThreadAlive);
            return true;
        }
        (name, pid, alive) = ("", 0, false);
        return false;
    }

    // ---- processes ----

    private void OnFork(ForkProcess m)
    {
        if (_procNames.ContainsKey(m.ChildName))
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.EEXIST)));
            return;
        }
        var pid = _nextPid++;
        var child = CreateProcess(m.ChildName, pid, m.Image, m.Program, exitAtEnd: true, parent: m.Parent);
        child.Tell(new StartProgram());
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(pid)));
    }

    private void OnChangePgid(ChangePgid m)
    {
        if (!_procs.TryGetValue(m.Pid, out var proc)) return;
        var pgid = m.Pid;
        if (m.Leader is { } leader)
        {
            var targets = leader.Name is { } name ? (_procNames.TryGetValue(name, out var p) ? p : (int?)null) : leader.Pid;
            if (targets is not { } id || !_procs.ContainsKey(id))
            {
                m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(Errno.ESRCH)));
                return;
            }
            pgid = id;
        }
        proc.Pgid = pgid;
        m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(pgid)));
    }

    private void OnProcessGone(ProcessGone m)
    {
        if (!_procs.TryGetValue(m.Pid, out var proc)) return;
        proc.Alive = false;
        // Reaped at once unless a living parent forked it (it then stays a zombie); its own zombie children are
        // orphaned and reaped by init.
        proc.Reaped = proc.ParentPid is not { } parentPid || !_procs.TryGetValue(parentPid, out var parent) || !parent.Alive;
        foreach (var childPid in proc.Children ?? [])
            if (_procs[childPid] is { Alive: false } child) child.Reaped = true;
        proc.MainThreadAlive = false;
        foreach (var tid in proc.Threads ?? []) _threads[tid].Alive = false;
        _trace.ProcessExited(proc.Name, m.Pid, m.Status, m.Signal);
        Reach(proc.Name, "exited");
    }

    private void Reach(string process, string label)
    {
        if (!_labels.Add((process, label))) return;
        if (!_labelWaiters.Remove((process, label), out var waiters)) return;
        foreach (var w in waiters) w.ReplyTo.Tell(new Reply(w.CallId, SyscallResult.Ok()));
    }
}
