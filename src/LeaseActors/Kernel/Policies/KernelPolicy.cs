namespace LeaseActors.Kernel;

/// <summary>
/// A kernel design from the 2019 layout-lease debate (DESIGN.md §3): what the emulated kernel does at each point
/// the debate contested — whether a long-term pin of FS-DAX blocks is allowed, what a layout change does over
/// pinned blocks, who is told of a break, and what keeps a lease alive. The topology stays the same; the policy
/// changes. The built-in ones are <see cref="KernelPolicies.All"/>, each citing the message or source it models; a
/// host may run its own (a record of its own, often one of those <c>with</c> a change) through
/// <see cref="KernelOptions.Policy"/>, <see cref="Topologies.TopologyRunSettings.Policy"/> or
/// <see cref="RealTime.RealTimeRunSettings.Policy"/> (docs/embedding.md).
/// </summary>
/// <remarks>
/// A policy is data, read by the actors at the contested points (the lease manager, the verbs context, the process
/// and its sockets); none of them has a branch per policy name. Mainline rules for fcntl leases
/// (SEMANTICS.md §1) are the same under every policy.
/// </remarks>
public sealed record KernelPolicy
{
    /// <summary>The name topologies and <c>--policy</c> use (<c>mainline</c>, <c>rfc-v2</c>, …).</summary>
    public required string Name { get; init; }

    /// <summary>One line: what the design is.</summary>
    public required string Summary { get; init; }

    /// <summary>The message-ids, sources or SEMANTICS.md sections it models.</summary>
    public required string Citation { get; init; }

    /// <summary>What the policy-neutral step "take a layout lease" does.</summary>
    public required LayoutLeaseMapping LayoutLease { get; init; }

    /// <summary>When a long-term pin (a non-ODP memory region) of FS-DAX blocks is allowed.</summary>
    public required PinRule Pin { get; init; }

    /// <summary>Whether a layout change (truncate, punch hole) first breaks layout leases (signal, then lease-break-time).</summary>
    public required bool BreaksLayoutLeases { get; init; }

    /// <summary>What a layout change does when blocks it would free are still pinned (after any lease break).</summary>
    public required PinnedLayoutChange OnPinned { get; init; }

    /// <summary>Who is told that a layout lease is being broken.</summary>
    public BreakTarget Notify { get; init; } = BreakTarget.FileOwner;

    /// <summary>At a layout lease's break deadline, SIGKILL the lease's owner process (Dan Williams' last resort).</summary>
    public bool KillOwnerAtDeadline { get; init; }

    /// <summary>
    /// A region holds a reference to the description whose layout lease it relies on, so the lease lives as long as
    /// the region (RFC v2's <c>file_file_pin</c> "zombie lease"; Jason Gunthorpe's "the MR holds the lease").
    /// </summary>
    public bool PinsHoldLease { get; init; }

    /// <summary><c>sendmsg(SCM_RIGHTS)</c> of a verbs context with regions, or of a data description with pins, fails with <see cref="PassRefusal"/>.</summary>
    public bool DenyPassOfPinned { get; init; }

    /// <summary>The errno a refused pass gets (the thread left it open; <c>EBUSY</c> is this project's choice: the object is busy with pins).</summary>
    public Errno PassRefusal { get; init; } = Errno.EBUSY;

    /// <summary>The last close of a description holding a layout lease blocks while regions still pin the file (Dave Chinner).</summary>
    public bool BlockLastClose { get; init; }

    /// <summary>Every process holding pins must itself hold a live layout lease on the file; holding pins without one is a violation.</summary>
    public bool LeasePerHolder { get; init; }

    /// <summary>
    /// An exclusive layout lease is never broken: a layout change (and, as RFC v2's code stands, a <c>write()</c> by
    /// another process) fails with <c>ETXTBSY</c>, or <c>EDEADLOCK</c> in the lease holder's own process.
    /// </summary>
    public bool ExclusiveIsUnbreakable => LayoutLease == LayoutLeaseMapping.Exclusive;

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>What the policy-neutral "take a layout lease" step maps to.</summary>
public enum LayoutLeaseMapping
{
    /// <summary>No layout leases exist: <c>fcntl(F_SETLEASE, F_LAYOUT)</c> fails with <c>EINVAL</c> (mainline, R10).</summary>
    Unsupported,
    /// <summary>The design needs no lease: the step succeeds and takes nothing.</summary>
    NotNeeded,
    /// <summary><c>fcntl(F_SETLEASE, F_LAYOUT)</c>: a breakable shared layout lease (RFC v1, R45).</summary>
    Shared,
    /// <summary><c>fcntl(F_SETLEASE, F_LAYOUT | F_EXCLUSIVE)</c>: RFC v2's exclusive, unbreakable layout lease.</summary>
    Exclusive,
}

/// <summary>When a long-term pin of FS-DAX blocks (<c>ibv_reg_mr</c> without ODP) is allowed.</summary>
public enum PinRule
{
    /// <summary>Never: <c>EOPNOTSUPP</c> (<c>mm/gup.c</c> <c>check_vma_flags</c>, R43).</summary>
    Refuse,
    /// <summary>When some layout lease exists on the inode, whoever holds it; else <c>EPERM</c> (RFC v1 patch 04).</summary>
    AnyLayoutLease,
    /// <summary>When the registering process holds a layout lease on the file; else <c>EPERM</c>.</summary>
    OwnLayoutLease,
    /// <summary>When the registering process itself took an exclusive layout lease (<c>fl_pid</c>); else <c>EPERM</c> (RFC v2 patch 04, R46).</summary>
    OwnExclusiveLease,
    /// <summary>Always, with no lease at all.</summary>
    Always,
    /// <summary>No long-term pin exists: regions are on-demand-paging and follow invalidations.</summary>
    OnDemandPaging,
}

/// <summary>What a layout change does over blocks that are still pinned.</summary>
public enum PinnedLayoutChange
{
    /// <summary>Wait, interruptibly and without a time limit, until the pins go (<c>dax_layout_busy_page</c>, R44).</summary>
    Wait,
    /// <summary>Fail with <c>ETXTBSY</c> (RFC v1 patches 07/09, R48).</summary>
    Fail,
    /// <summary>Free the blocks anyway (the counterfactual the debate warned against).</summary>
    Proceed,
    /// <summary>Invalidate on-demand-paging device mappings, then proceed.</summary>
    Invalidate,
}

/// <summary>Who receives the signal of a layout-lease break.</summary>
public enum BreakTarget
{
    /// <summary>The leased description's <c>f_owner</c> (SEMANTICS.md §1.7).</summary>
    FileOwner,
    /// <summary>Every process that currently holds the verbs context of a region relying on the lease.</summary>
    ContextHolders,
}
