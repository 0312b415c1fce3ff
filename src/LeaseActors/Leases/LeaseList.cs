namespace LeaseActors.Leases;

/// <summary>
/// One inode's lease list and open counts (<c>i_flctx->flc_lease</c>, <c>i_readcount</c>, <c>i_writecount</c>),
/// with the algorithms of <c>fs/locks.c</c> transcribed rule by rule. Pure state, no actors: the
/// <c>LeaseManagerActor</c> owns one and carries out the <see cref="LeaseChange"/>s it reports.
/// </summary>
/// <remarks>
/// Times are virtual ticks; a deadline of 0 means "never" (<c>past_time(0)</c> is false). Expiry is lazy, as in
/// the kernel: only <see cref="TimeOutLeases"/> applies it, and the operations that run it are the ones whose
/// kernel counterparts call <c>time_out_leases</c>. Simplification: a deadline is reached at its tick, where the
/// kernel's <c>time_after</c> reaches it one jiffy later.
/// </remarks>
internal sealed class LeaseList
{
    /// <summary><c>F_LAYOUT</c> (RFC v1/v2 uapi): the <c>F_SETLEASE</c> argument of a layout lease.</summary>
    public const int LayoutArg = 16;

    /// <summary><c>F_EXCLUSIVE</c> (RFC v2 uapi), or'ed with <see cref="LayoutArg"/>.</summary>
    public const int ExclusiveArg = 32;

    private readonly List<LeaseRecord> _leases = [];
    private readonly Dictionary<OfdId, OpenContribution> _opens = [];

    /// <summary><c>i_readcount</c>: opens with FMODE_READ and without FMODE_WRITE.</summary>
    public int ReadCount { get; private set; }

    /// <summary><c>i_writecount</c>: opens with FMODE_WRITE (including a blocked breaker's new file).</summary>
    public int WriteCount { get; private set; }

    /// <summary>The leases in list order (insertion order).</summary>
    public IReadOnlyList<LeaseRecord> Leases => _leases;

    private readonly record struct OpenContribution(bool Read, bool Write);

    // ---- open counts ----

    /// <summary>Takes the counts of a new open file (before <c>break_lease</c>, as <c>do_dentry_open</c> does).</summary>
    public void AddOpen(OfdId ofd, bool fmodeRead, bool fmodeWrite)
    {
        var contribution = new OpenContribution(fmodeRead && !fmodeWrite, fmodeWrite);
        if (!_opens.TryAdd(ofd, contribution)) throw new InvalidOperationException($"OFD {ofd} is already counted as open.");
        if (contribution.Read) ReadCount++;
        if (contribution.Write) WriteCount++;
    }

    /// <summary>Drops the counts of an open file (last fput, or a failed/interrupted open).</summary>
    public void RemoveOpen(OfdId ofd)
    {
        if (!_opens.Remove(ofd, out var contribution)) return;
        if (contribution.Read) ReadCount--;
        if (contribution.Write) WriteCount--;
    }

    // ---- fs/locks.c ----

    /// <summary><c>time_out_leases</c>: applies every downgrade and break deadline that has passed.</summary>
    public void TimeOutLeases(long now, List<LeaseChange> changes)
    {
        for (var i = 0; i < _leases.Count; i++)
        {
            var lease = _leases[i];
            if (Past(lease.DowngradeTime, now)) Modify(lease, LeaseType.F_RDLCK, LeaseChangeReason.DowngradeTimeout, changes);
            if (Past(lease.BreakTime, now))
            {
                if (Modify(lease, LeaseType.F_UNLCK, LeaseChangeReason.BreakTimeout, changes)) i--;
            }
        }
    }

    /// <summary>
    /// <c>__break_lease</c> up to the point where the kernel would block: applies expiry, marks conflicting leases
    /// pending (reporting one <see cref="LeaseChange.Notify"/> per lease that starts a new break phase), and says
    /// whether the breaker may proceed.
    /// </summary>
    public BreakOutcome Break(long now, bool wantWrite, LeaseClass breakerClass, long leaseBreakTimeTicks, bool nonBlocking, List<LeaseChange> changes)
    {
        TimeOutLeases(now, changes);
        if (!AnyConflict(wantWrite, breakerClass)) return BreakOutcome.Proceed;

        var breakTime = 0L;
        if (leaseBreakTimeTicks > 0)
        {
            breakTime = now + leaseBreakTimeTicks;
            if (breakTime == 0) breakTime++;
        }
        foreach (var lease in _leases)
        {
            if (!Conflicts(lease, wantWrite, breakerClass)) continue;
            if (wantWrite)
            {
                if (lease.UnlockPending) continue;
                lease.UnlockPending = true;
                lease.BreakTime = breakTime;
            }
            else
            {
                if (lease.IsBreaking) continue;
                lease.DowngradePending = true;
                lease.DowngradeTime = breakTime;
            }
            changes.Add(new LeaseChange.BreakStarted(lease.Ofd, wantWrite, breakTime, lease.Class));
            changes.Add(new LeaseChange.Notify(lease.Ofd, wantWrite, lease.Class));
        }
        if (_leases.Count == 0) return BreakOutcome.Proceed;
        return nonBlocking ? BreakOutcome.WouldBlock : BreakOutcome.MustWait;
    }

    /// <summary>
    /// What a blocked breaker does after a wake-up or a timeout: <c>time_out_leases</c> (on timeout), then
    /// <c>any_leases_conflict</c>. True when it may proceed.
    /// </summary>
    public bool Recheck(long now, bool wantWrite, LeaseClass breakerClass, List<LeaseChange> changes)
    {
        TimeOutLeases(now, changes);
        return !AnyConflict(wantWrite, breakerClass);
    }

    /// <summary>
    /// The earliest break or downgrade deadline after <paramref name="now"/> (deadlines at <paramref name="now"/> were applied by the caller's <c>time_out_leases</c>), or null: when a blocked
    /// breaker must look again (the kernel's breaker sleeps until the first lease's break time, polling each
    /// jiffy when it has none, so it notices every deadline).
    /// </summary>
    public long? NextDeadline(long now)
    {
        long? next = null;
        foreach (var lease in _leases)
        {
            if (lease.BreakTime != 0 && lease.BreakTime > now && (next is null || lease.BreakTime < next)) next = lease.BreakTime;
            if (lease.DowngradeTime != 0 && lease.DowngradeTime > now && (next is null || lease.DowngradeTime < next)) next = lease.DowngradeTime;
        }
        return next;
    }

    /// <summary><c>any_leases_conflict</c>.</summary>
    public bool AnyConflict(bool wantWrite, LeaseClass breakerClass)
    {
        foreach (var lease in _leases)
            if (Conflicts(lease, wantWrite, breakerClass)) return true;
        return false;
    }

    /// <summary><c>fcntl_getlease</c>: expiry, then this OFD's lease type or the target of its pending break.</summary>
    public LeaseType GetLease(OfdId ofd, long now, List<LeaseChange> changes)
    {
        TimeOutLeases(now, changes);
        LeaseType? layout = null;
        foreach (var lease in _leases)
        {
            if (lease.Ofd != ofd) continue;
            if ((lease.Class & LeaseClass.Layout) != 0)
            {
                // RFC v1 patch 02: F_GETLEASE reports F_LAYOUT (16); RFC v2 adds F_EXCLUSIVE (32).
                layout = (LeaseType)(LayoutArg | ((lease.Class & LeaseClass.Exclusive) != 0 ? ExclusiveArg : 0));
                continue;
            }
            if ((lease.Class & LeaseClass.Lease) == 0) continue;
            if (lease.UnlockPending) return LeaseType.F_UNLCK;
            if (lease.DowngradePending) return LeaseType.F_RDLCK;
            return lease.Type;
        }
        return layout ?? LeaseType.F_UNLCK;
    }

    /// <summary>
    /// <c>generic_add_lease</c> for <c>F_RDLCK</c>/<c>F_WRLCK</c>: expiry, <c>check_conflicting_open</c>, the
    /// existing-lease walk, modification of this OFD's own lease, <c>leases-enable</c>, insertion. Returns
    /// <see cref="Errno.None"/> on success (the caller then runs <c>lease_setup</c>).
    /// </summary>
    public Errno AddLease(OfdId ofd, LeaseType arg, LeaseClass leaseClass, bool fmodeRead, bool fmodeWrite, bool leasesEnable, int flPid,
        long now, List<LeaseChange> changes)
    {
        if (arg == LeaseType.F_UNLCK) throw new ArgumentException("F_UNLCK goes through DeleteLease.", nameof(arg));
        TimeOutLeases(now, changes);
        var error = CheckConflictingOpen(arg, leaseClass, fmodeRead, fmodeWrite);
        if (error != Errno.None) return error;

        LeaseRecord? mine = null;
        foreach (var lease in _leases)
        {
            if (lease.Ofd == ofd && SameKind(lease.Class, leaseClass))
            {
                mine = lease;
                continue;
            }
            if (arg == LeaseType.F_WRLCK) return Errno.EAGAIN;
            if (lease.UnlockPending) return Errno.EAGAIN;
        }

        if (mine is not null)
        {
            Modify(mine, arg, LeaseChangeReason.Holder, changes);
            return Errno.None;
        }

        if (!leasesEnable) return Errno.EINVAL;
        var added = new LeaseRecord(ofd, arg, leaseClass, flPid);
        _leases.Add(added);
        changes.Add(new LeaseChange.Added(ofd, arg, leaseClass));
        return Errno.None;
    }

    /// <summary><c>generic_delete_lease</c>: no expiry first; <c>EAGAIN</c> when this OFD holds no lease of that class.</summary>
    public Errno DeleteLease(OfdId ofd, LeaseClass leaseClass, List<LeaseChange> changes)
    {
        foreach (var lease in _leases)
        {
            if (lease.Ofd != ofd || !SameKind(lease.Class, leaseClass)) continue;
            Modify(lease, LeaseType.F_UNLCK, LeaseChangeReason.Holder, changes);
            return Errno.None;
        }
        return Errno.EAGAIN;
    }

    /// <summary><c>locks_remove_lease</c> at the last fput: every lease of this OFD goes.</summary>
    public void RemoveLeasesOf(OfdId ofd, List<LeaseChange> changes)
    {
        for (var i = 0; i < _leases.Count; i++)
        {
            if (_leases[i].Ofd != ofd) continue;
            if (Modify(_leases[i], LeaseType.F_UNLCK, LeaseChangeReason.LastClose, changes)) i--;
        }
    }

    /// <summary>The layout leases (<c>FL_LAYOUT</c>), in list order.</summary>
    public IEnumerable<LeaseRecord> LayoutLeases => _leases.Where(l => (l.Class & LeaseClass.Layout) != 0);

    /// <summary>The lease this OFD holds with <paramref name="leaseClass"/>, if any.</summary>
    public LeaseRecord? Find(OfdId ofd, LeaseClass leaseClass) => _leases.Find(l => l.Ofd == ofd && l.Class == leaseClass);

    /// <summary><c>check_conflicting_open</c>.</summary>
    private Errno CheckConflictingOpen(LeaseType arg, LeaseClass leaseClass, bool fmodeRead, bool fmodeWrite)
    {
        if ((leaseClass & (LeaseClass.Layout | LeaseClass.Deleg)) != 0) return Errno.None;
        if (arg == LeaseType.F_RDLCK) return WriteCount > 0 ? Errno.EAGAIN : Errno.None;
        if (arg != LeaseType.F_WRLCK) return Errno.None;
        var selfWrite = fmodeWrite ? 1 : 0;
        var selfRead = !fmodeWrite && fmodeRead ? 1 : 0;
        return WriteCount != selfWrite || ReadCount != selfRead ? Errno.EAGAIN : Errno.None;
    }

    /// <summary><c>lease_modify</c>. Returns true when the lease was removed from the list.</summary>
    private bool Modify(LeaseRecord lease, LeaseType arg, LeaseChangeReason reason, List<LeaseChange> changes)
    {
        var from = lease.Type;
        if (arg != LeaseType.F_UNLCK) lease.Type = arg;
        // lease_clear_pending: UNLCK clears both flags, RDLCK clears the downgrade flag. The times stay.
        if (arg == LeaseType.F_UNLCK) lease.UnlockPending = false;
        if (arg is LeaseType.F_UNLCK or LeaseType.F_RDLCK) lease.DowngradePending = false;
        if (arg == LeaseType.F_UNLCK)
        {
            _leases.Remove(lease);
            changes.Add(new LeaseChange.Removed(lease.Ofd, from, reason, lease.Class));
            return true;
        }
        if (from != arg) changes.Add(new LeaseChange.Modified(lease.Ofd, from, arg, reason));
        return false;
    }

    /// <summary><c>leases_conflict</c> (no <c>lm_breaker_owns_lease</c>: that is nfsd's).</summary>
    private static bool Conflicts(LeaseRecord lease, bool wantWrite, LeaseClass breakerClass)
    {
        if ((breakerClass & LeaseClass.Layout) != (lease.Class & LeaseClass.Layout)) return false;
        if ((breakerClass & LeaseClass.Deleg) != 0 && (lease.Class & LeaseClass.Lease) != 0) return false;
        return wantWrite || lease.Type == LeaseType.F_WRLCK;
    }

    /// <summary>An OFD has at most one lease of each kind (fcntl lease, layout lease); <c>F_EXCLUSIVE</c> is a modifier, not a kind.</summary>
    private static bool SameKind(LeaseClass a, LeaseClass b) => (a & ~LeaseClass.Exclusive) == (b & ~LeaseClass.Exclusive);

    private static bool Past(long deadline, long now) => deadline != 0 && now >= deadline;
}

/// <summary>What a breaker does after <see cref="LeaseList.Break"/>.</summary>
internal enum BreakOutcome
{
    /// <summary>No lease conflicts (any more): go on.</summary>
    Proceed,
    /// <summary>Leases conflict and the breaker is non-blocking: <c>EWOULDBLOCK</c>.</summary>
    WouldBlock,
    /// <summary>Leases conflict: block until they are released, downgraded or time out.</summary>
    MustWait,
}

/// <summary>One lease in a <see cref="LeaseList"/> (<c>struct file_lease</c>).</summary>
internal sealed class LeaseRecord(OfdId ofd, LeaseType type, LeaseClass leaseClass, int flPid)
{
    /// <summary>The open file description the lease was set through (<c>fl_file</c>, also <c>fl_owner</c>).</summary>
    public OfdId Ofd { get; } = ofd;

    /// <summary><c>F_RDLCK</c> or <c>F_WRLCK</c>.</summary>
    public LeaseType Type { get; set; } = type;

    /// <summary>The class bits (<c>FL_LEASE</c>, <c>FL_LAYOUT</c>, …).</summary>
    public LeaseClass Class { get; } = leaseClass;

    /// <summary><c>fl_pid</c>: the tgid of the <c>F_SETLEASE</c> caller (display only in mainline; RFC v2's pin check uses it).</summary>
    public int FlPid { get; } = flPid;

    /// <summary><c>FL_UNLOCK_PENDING</c>.</summary>
    public bool UnlockPending { get; set; }

    /// <summary><c>FL_DOWNGRADE_PENDING</c>.</summary>
    public bool DowngradePending { get; set; }

    /// <summary><c>fl_break_time</c> in virtual ticks; 0 = never.</summary>
    public long BreakTime { get; set; }

    /// <summary><c>fl_downgrade_time</c> in virtual ticks; 0 = never.</summary>
    public long DowngradeTime { get; set; }

    /// <summary><c>lease_breaking</c>: either pending flag.</summary>
    public bool IsBreaking => UnlockPending || DowngradePending;
}
