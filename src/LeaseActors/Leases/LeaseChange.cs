namespace LeaseActors.Leases;

/// <summary>Why a lease changed type or went away.</summary>
public enum LeaseChangeReason
{
    /// <summary>The holder asked (<c>F_SETLEASE</c>).</summary>
    Holder,
    /// <summary>A writer's break timed out (<c>fl_break_time</c> passed).</summary>
    BreakTimeout,
    /// <summary>A reader's break timed out (<c>fl_downgrade_time</c> passed).</summary>
    DowngradeTimeout,
    /// <summary>The last reference to the open file description went (<c>__fput</c> → <c>locks_remove_lease</c>).</summary>
    LastClose,
}

/// <summary>Something the lease list did that the lease manager must carry out or record.</summary>
internal abstract record LeaseChange(OfdId Ofd)
{
    /// <summary><c>lm_break</c>: the OFD's owner must be signalled (<c>kill_fasync(SIGIO, POLL_MSG)</c>).</summary>
    public sealed record Notify(OfdId Ofd, bool ToUnlock, LeaseClass Class = LeaseClass.Lease) : LeaseChange(Ofd);

    /// <summary>A lease was created.</summary>
    public sealed record Added(OfdId Ofd, LeaseType Type, LeaseClass Class) : LeaseChange(Ofd);

    /// <summary>A lease's type changed (it stays in the list).</summary>
    public sealed record Modified(OfdId Ofd, LeaseType From, LeaseType To, LeaseChangeReason Reason) : LeaseChange(Ofd);

    /// <summary>A lease was deleted; its OFD's owner and signal number are cleared (<c>f_delown</c>, <c>signum = 0</c>).</summary>
    public sealed record Removed(OfdId Ofd, LeaseType Type, LeaseChangeReason Reason, LeaseClass Class = LeaseClass.Lease) : LeaseChange(Ofd);

    /// <summary>A break phase started on a lease: it is now pending with the given deadline (0 = never).</summary>
    public sealed record BreakStarted(OfdId Ofd, bool ToUnlock, long DeadlineTicks, LeaseClass Class = LeaseClass.Lease) : LeaseChange(Ofd);
}
