using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Kernel.Internal;
using LeaseActors.Processes;

namespace LeaseActors.Leases.Internal;

/// <summary>
/// The FS-DAX half of an inode: its block map, the pins RDMA regions hold on its blocks, and layout changes
/// (truncate, ftruncate, punch hole) that free blocks — carried out as the run's <see cref="KernelPolicy"/> says
/// (SEMANTICS.md §3.1: <c>xfs_break_layouts</c> first breaks layout leases, then <c>dax_layout_busy_page</c>
/// waits for pinned pages). Blocks freed go back to the kernel's free list, which hands them to the next file
/// that grows, so a device still writing into them writes into another file.
/// </summary>
internal sealed partial class LeaseManagerActor
{
    private readonly KernelPolicy _policy;
    private readonly bool _dax;
    private readonly IActorRef _kernel;
    private readonly BlockMap _blocks = new();
    private readonly SortedDictionary<long, PinRecord> _pins = [];
    private readonly List<FileReleased> _heldCloses = [];

    /// <summary>A region's hold on this file: which blocks, through which context, relying on which lease.</summary>
    private sealed record PinRecord(long Id, string Region, string Process, OfdId Context, IActorRef ContextActor, OfdId Data, bool Odp,
        BlockSet Blocks, OfdId? LeaseOfd);

    private enum LayoutPhase { Leases, Pins }

    /// <summary>A truncate, ftruncate or punch hole that frees the blocks of pages [<see cref="FirstPage"/>, <see cref="EndPage"/>).</summary>
    private sealed class LayoutChange(TruncateInode call, long firstPage, long endPage)
    {
        public TruncateInode Call { get; } = call;
        public long FirstPage { get; } = firstPage;
        public long EndPage { get; } = endPage;
        public LayoutPhase Phase { get; set; } = LayoutPhase.Leases;
        public bool IsPunch => Call.PunchOffset is not null;
    }

    private void ReceiveLayout()
    {
        Receive<PinRange>(OnPin);
        Receive<Unpin>(OnUnpin);
        Receive<BlocksGranted>(OnBlocksGranted);
        Receive<QueryPinned>(m => m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(_pins.Values.Any(p => p.Data == m.Ofd && !p.Odp) ? 1 : 0))));
    }

    // ---- pins ----

    private void OnPin(PinRange m)
    {
        var odp = m.Odp || _policy.Pin == PinRule.OnDemandPaging;
        LeaseRecord? lease = null;
        Errno refusal = Errno.None;
        string why = "";
        if (_type != FileType.Regular)
        {
            (refusal, why) = (Errno.EINVAL, "not a regular file");
        }
        else if (m.Offset < 0 || (m.Length ?? _size - m.Offset) <= 0)
        {
            // ib_umem_get: a region of no bytes is EINVAL.
            (refusal, why) = (Errno.EINVAL, "an empty range");
        }
        else if (!odp && !_dax)
        {
            // Linux 6.18: a long-term writable pin of MAP_SHARED page-cache pages fails EFAULT (SEMANTICS.md §5, case E01).
            (refusal, why) = (Errno.EFAULT, "long-term pin of page-cache pages of a shared file mapping");
        }
        else if (!odp)
        {
            var live = _leases.LayoutLeases.Where(l => !l.IsBreaking).ToList();
            var own = live.FirstOrDefault(l => l.Ofd == m.Data) ?? live.FirstOrDefault(l => l.FlPid == m.Pid);
            switch (_policy.Pin)
            {
                case PinRule.Refuse:
                    (refusal, why) = (Errno.EOPNOTSUPP, "FOLL_LONGTERM of an FS-DAX vma (check_vma_flags)");
                    break;
                case PinRule.AnyLayoutLease:
                    lease = own ?? live.FirstOrDefault();
                    if (lease is null) (refusal, why) = (Errno.EPERM, "no layout lease on the file");
                    break;
                case PinRule.OwnLayoutLease:
                    lease = own;
                    if (lease is null) (refusal, why) = (Errno.EPERM, "the registering process holds no layout lease on the file");
                    break;
                case PinRule.OwnExclusiveLease:
                    lease = live.FirstOrDefault(l => (l.Class & LeaseClass.Exclusive) != 0 && l.FlPid == m.Pid);
                    if (lease is null) (refusal, why) = (Errno.EPERM, "the registering process took no exclusive layout lease (fl_pid)");
                    break;
            }
            if (refusal == Errno.None && m.Length is { } wanted && Blocks.Count(m.Offset + wanted) > Blocks.Count(_size))
            {
                // pin_user_pages over pages past the end of the mapped file: no page to pin.
                (refusal, why) = (Errno.EFAULT, "the range runs past the end of the file");
            }
        }
        if (refusal != Errno.None)
        {
            _trace.RegionRefused(m.Region, m.Process, _path, refusal, why);
            m.ContextActor.Tell(new PinRefused(m.CallId, m.ReplyTo, m.Process, m.Region, refusal));
            return;
        }

        var first = m.Offset / Blocks.Size;
        var end = m.Length is { } length ? Blocks.Count(m.Offset + length) : Blocks.Count(_size);
        var blocks = BlocksOf(first, end);
        OfdId? leaseOfd = null;
        if (!odp && _policy.PinsHoldLease && lease is not null && _ofds.TryGetValue(lease.Ofd, out var leased))
        {
            // RFC v2 file_file_pin: get_file(fl->fl_file); mr-holds-lease: the region references its lease.
            leased.Tell(new AddRef("pin of region " + m.Region));
            leaseOfd = lease.Ofd;
        }
        _pins[m.RegionId] = new PinRecord(m.RegionId, m.Region, m.Process, m.Context, m.ContextActor, m.Data, odp, blocks, leaseOfd);
        _trace.RegionRegistered(m.Region, m.RegionId, m.Process, _path, m.Context.Value, odp, m.DmaPerSecond, blocks, leaseOfd?.Value);
        var data = new OfdHandle(m.Data, ActorRefs.Nobody, _inode, Self, _path, _type, OpenFlags.O_RDWR);
        m.ContextActor.Tell(new Pinned(m.CallId, m.ReplyTo, m.RegionId, m.Region, data, blocks, odp, m.DmaPerSecond, m.Process));
    }

    private void OnUnpin(Unpin m)
    {
        if (_pins.Remove(m.RegionId, out var pin))
        {
            _trace.RegionTornDown(pin.Region, pin.Id, _path, m.Process, m.Why);
            if (pin.LeaseOfd is { } leaseOfd && _ofds.TryGetValue(leaseOfd, out var leased))
                leased.Tell(new ReleaseRef(0, null, "pin of region " + pin.Region + " released"));
        }
        m.ReplyTo?.Tell(new Reply(m.CallId, SyscallResult.Ok()));
        ReleaseHeldCloses();
        Apply(recheck: true);
    }

    private bool HasLongTermPins => _pins.Values.Any(p => !p.Odp);

    /// <summary>block-close: the last close of a description holding a layout lease waits while regions pin the file.</summary>
    private bool HoldClose(FileReleased m)
    {
        if (!_policy.BlockLastClose || !HasLongTermPins || !_leases.LayoutLeases.Any(l => l.Ofd == m.Ofd)) return false;
        _heldCloses.Add(m);
        _trace.CloseBlocked(_path, m.Ofd.Value, "regions still pin " + _path);
        return true;
    }

    private void ReleaseHeldCloses()
    {
        if (_heldCloses.Count == 0 || HasLongTermPins) return;
        var held = _heldCloses.ToList();
        _heldCloses.Clear();
        foreach (var m in held)
        {
            _trace.CloseUnblocked(_path, m.Ofd.Value);
            ReleaseDescription(m);
        }
    }

    // ---- writes (RFC v2's BREAK_WRITE, and block allocation) ----

    private void OnWrite(WriteInode m)
    {
        if (_policy.ExclusiveIsUnbreakable && _leases.LayoutLeases.Where(l => (l.Class & LeaseClass.Exclusive) != 0).ToList() is { Count: > 0 } exclusive)
        {
            // RFC v2: xfs_file_write_checks → xfs_break_layouts(BREAK_WRITE) meets an exclusive layout lease.
            var errno = exclusive.Any(l => l.FlPid == m.Pid) ? Errno.EDEADLK : Errno.ETXTBSY;
            _trace.LayoutChange(_path, m.Process, m.CallId, "write", 0);
            _trace.LayoutDone(_path, m.Process, m.CallId, errno);
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Fail(errno)));
            return;
        }
        if (!_dax)
        {
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(m.Bytes)));
            return;
        }
        // A write to an FS-DAX file appends (the model's writes carry no offset): new blocks come from the free list.
        var needed = Blocks.Count(_size + m.Bytes) - Math.Max(_blocks.Pages, Blocks.Count(_size));
        if (needed <= 0)
        {
            _size += m.Bytes;
            m.ReplyTo.Tell(new Reply(m.CallId, SyscallResult.Ok(m.Bytes)));
            return;
        }
        _kernel.Tell(new AllocateBlocks(_path, needed, m));
    }

    private void OnBlocksGranted(BlocksGranted m)
    {
        if (_blocks.Pages < Blocks.Count(_size)) _blocks.AppendHoles(Blocks.Count(_size) - _blocks.Pages);
        _blocks.Append(m.Blocks);
        _size += m.Write.Bytes;
        m.Write.ReplyTo.Tell(new Reply(m.Write.CallId, SyscallResult.Ok(m.Write.Bytes)));
    }

    // ---- layout changes ----

    /// <summary>The file system's part of a truncate (after the fcntl lease break), an ftruncate or a punch hole.</summary>
    private void BeginLayoutChange(TruncateInode m)
    {
        long first, end;
        if (m.PunchOffset is { } offset)
        {
            // fallocate(PUNCH_HOLE): whole pages inside [offset, offset + length) lose their blocks; the size stays.
            first = Blocks.Count(offset);
            end = Math.Min((offset + m.Length) / Blocks.Size, _blocks.Pages);
        }
        else
        {
            first = Blocks.Count(m.Length);
            end = _blocks.Pages;
            if (m.Length >= _size || (!_dax && !_leases.LayoutLeases.Any()))
            {
                // Growing, or a file without blocks or layout leases: only the size changes (holes on growth).
                _size = m.Length;
                ReplyToBreaker(m.ReplyTo, new Reply(m.CallId, SyscallResult.Ok()));
                return;
            }
        }
        if (m.PunchOffset is not null && (!_dax || end <= first))
        {
            ReplyToBreaker(m.ReplyTo, new Reply(m.CallId, SyscallResult.Ok()));
            return;
        }
        var change = new LayoutChange(m, first, Math.Max(first, end));
        var lbt = _sysctls.LeaseBreakTime.Ticks;
        _trace.LayoutChange(_path, m.Process, m.CallId, change.IsPunch ? "punch-hole" : "truncate", lbt > 0 ? (Now + lbt) / TimeSpan.TicksPerMicrosecond : 0);
        AdvanceLayout(change);
    }

    private void AdvanceLayout(LayoutChange change)
    {
        var m = change.Call;
        if (change.Phase == LayoutPhase.Leases)
        {
            var exclusive = _policy.ExclusiveIsUnbreakable
                ? _leases.LayoutLeases.Where(l => (l.Class & LeaseClass.Exclusive) != 0).ToList()
                : [];
            if (exclusive.Count > 0)
            {
                // RFC v2 __break_lease: an exclusive layout lease is skipped, not signalled: ETXTBSY, or EDEADLOCK in its own process.
                FinishLayout(change, exclusive.Any(l => l.FlPid == m.Pid) ? Errno.EDEADLK : Errno.ETXTBSY);
                return;
            }
            if (_policy.BreaksLayoutLeases && _leases.LayoutLeases.Any())
            {
                var outcome = _leases.Break(Now, true, LeaseClass.Layout, _sysctls.LeaseBreakTime.Ticks, false, _changes);
                Apply(breaker: m.Process);
                if (outcome != BreakOutcome.Proceed && !LayoutMayGoOn(change))
                {
                    _trace.LayoutWaiting(_path, m.Process, m.CallId, "layout leases");
                    Park(new Breaker(m.CallId, m.ReplyTo, m.Process, true, null, null, Now) { Layout = change });
                    return;
                }
            }
            change.Phase = LayoutPhase.Pins;
        }

        var pinned = PinnedUnder(change);
        if (pinned.Count > 0)
        {
            switch (_policy.OnPinned)
            {
                case PinnedLayoutChange.Fail:
                    FinishLayout(change, Errno.ETXTBSY);
                    return;
                case PinnedLayoutChange.Wait:
                    // dax_layout_busy_page: sleep interruptibly, no time limit, until the pages are idle.
                    _trace.LayoutWaiting(_path, m.Process, m.CallId, "pins of " + string.Join(", ", pinned.Select(p => p.Region)));
                    Park(new Breaker(m.CallId, m.ReplyTo, m.Process, true, null, null, Now) { Layout = change });
                    return;
            }
        }
        FreeBlocks(change);
        FinishLayout(change, Errno.None);
    }

    private bool LayoutMayGoOn(LayoutChange change) => change.Phase == LayoutPhase.Leases
        ? _leases.Recheck(Now, true, LeaseClass.Layout, _changes)
        : PinnedUnder(change).Count == 0;

    /// <summary>Long-term pins on blocks the change would free.</summary>
    private List<PinRecord> PinnedUnder(LayoutChange change)
    {
        var freed = BlocksOf(change.FirstPage, change.EndPage);
        return [.. _pins.Values.Where(p => !p.Odp && p.Blocks.Overlaps(freed))];
    }

    private void FreeBlocks(LayoutChange change)
    {
        var freed = BlocksOf(change.FirstPage, change.EndPage);
        if (change.IsPunch)
        {
            _blocks.Punch(change.FirstPage, change.EndPage);
        }
        else
        {
            _blocks.TruncateTo(change.FirstPage);
            _size = change.Call.Length;
        }
        if (freed.Count == 0) return;
        foreach (var odp in _pins.Values.Where(p => p.Odp))
        {
            // ODP: the mmu notifier invalidates the device's mapping of the freed blocks; it faults on next access.
            var hit = odp.Blocks.Intersect(freed);
            if (hit.Count > 0) odp.ContextActor.Tell(new InvalidateRegion(odp.Id, hit));
        }
        _trace.BlocksFreed(_path, freed);
        _kernel.Tell(new Kernel.Internal.FreeBlocks(_path, freed));
    }

    private void FinishLayout(LayoutChange change, Errno errno)
    {
        var m = change.Call;
        _trace.LayoutDone(_path, m.Process, m.CallId, errno);
        ReplyToBreaker(m.ReplyTo, new Reply(m.CallId, errno == Errno.None ? SyscallResult.Ok() : SyscallResult.Fail(errno)));
    }

    private BlockSet BlocksOf(long firstPage, long endPage) => _blocks.Range(firstPage, endPage);

    // ---- who hears a layout-lease break ----

    /// <summary>
    /// mr-holds-lease: the break goes to every process holding the verbs context of a region that relies on the lease.
    /// False when the policy notifies the lease's f_owner, or no region relies on it (then f_owner is told).
    /// </summary>
    private bool NotifyLayoutBreak(LeaseChange.Notify n)
    {
        if (_policy.Notify != BreakTarget.ContextHolders) return false;
        var contexts = _pins.Values.Where(p => p.LeaseOfd == n.Ofd).Select(p => p.Context).Distinct().ToImmutableArray();
        if (contexts.IsEmpty) return false;
        var token = ++_nextNotify;
        _unackedNotifies[token] = n.Ofd;
        _kernel.Tell(new SignalContextHolders(contexts, n.Ofd, _path, Self, token));
        return true;
    }
}
