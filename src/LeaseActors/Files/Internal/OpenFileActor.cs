using LeaseActors.Internal;
using Akka.Actor;
using LeaseActors.Kernel.Internal;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Tracing;

namespace LeaseActors.Files.Internal;

/// <summary>
/// An open file description ("struct file"). Owns its reference count (fd entries in any process, messages in
/// flight over a socket, mappings), <c>f_owner</c>, the <c>F_SETSIG</c> signal number and the fasync entry's fd
/// number. Accepts <see cref="AddRef"/>/<see cref="ReleaseRef"/>, the owner and signal fcntls,
/// <see cref="SetupLease"/>, <see cref="LeaseGone"/> and <see cref="BreakNotify"/> (answered, through the kernel's
/// <see cref="SendSigio"/> or directly, with <see cref="NotifyDone"/>); at the last reference it
/// tells its inode's lease manager (or its socket) <see cref="FileReleased"/> and stops.
/// </summary>
internal sealed class OpenFileActor : DescriptionActor
{
    private readonly string _path;
    private readonly IActorRef _kernel;
    private readonly IActorRef _releaseTarget;
    private FOwner? _owner;
    private int _signum;
    private int? _fasyncFd;

    public OpenFileActor(OfdId id, string path, IActorRef kernel, IActorRef releaseTarget, KernelTrace trace) : base(id, trace)
    {
        _path = path;
        _kernel = kernel;
        _releaseTarget = releaseTarget;
Receive<SetOwner>(m =>
        {
            _owner = m.Owner;
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
        });
        Receive<QueryOwner>(m => _kernel.Tell(new ReportOwner(m.CallId, m.ReplyTo, _owner, m.Extended)));
        Receive<SetSignum>(m =>
        {
            _signum = m.Signo;
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
        });
        Receive<QuerySignum>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(_signum))));
        Receive<SetupLease>(m =>
        {
            // lease_setup: the fasync entry takes the caller's fd number; the owner is set only if unset (force = 0).
            _fasyncFd = m.Fd;
            _owner ??= m.Candidate;
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok()));
        });
        Receive<KillOwner>(m =>
        {
            // revoke-kill: the lease owner did not release by the deadline; f_owner is sent SIGKILL.
            if (_owner is { } owner) _kernel.Tell(new KillFOwner(owner, m.Path));
        });
        Receive<LeaseGone>(_ =>
        {
            // lease_modify(F_UNLCK): f_delown, signum = 0, fasync entry removed.
            _owner = null;
            _signum = 0;
            _fasyncFd = null;
        });
        Receive<BreakNotify>(m =>
        {
            // lm_break → kill_fasync(SIGIO, POLL_MSG) → send_sigio(f_owner, fa_fd). The lease manager holds the
            // breaker's answer until the signal is generated (NotifyDone), as __break_lease signals before returning.
            if (_fasyncFd is not { } fd)
            {
                Sender.Tell(new NotifyDone(m.Token));
                return;
            }
            if (_owner is null)
            {
                Trace.SignalLost(Id.Value, "none", "no owner");
                Sender.Tell(new NotifyDone(m.Token));
                return;
            }
            _kernel.Tell(new SendSigio(_owner, _signum, fd, Id, _path, Sender, m.Token));
        });
    }

    /// <summary>__fput: the lease manager (or socket) removes this description's leases and counts, then answers the closer.</summary>
    protected override void FinalRelease(long callId, IActorRef? replyTo)
    {
        Trace.OfdReleased(Id.Value, _path);
        _releaseTarget.Tell(new FileReleased(Id, callId, replyTo));
        Context.Stop(Self);
    }

    public static Props Props(OfdId id, string path, IActorRef kernel, IActorRef releaseTarget, KernelTrace trace) =>
        PropsOf.Create(() => new OpenFileActor(id, path, kernel, releaseTarget, trace));
}
