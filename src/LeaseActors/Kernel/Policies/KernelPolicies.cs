namespace LeaseActors.Kernel;

/// <summary>
/// The eleven policies of DESIGN.md §3, each with the message or source it models (SEMANTICS.md §2–§3). Where the
/// 2019 thread left a detail open, the choice is stated in the policy's summary and in docs/policies.md.
/// </summary>
public static class KernelPolicies
{
    /// <summary>Today's kernel: long-term pins of FS-DAX are refused, and there are no layout leases.</summary>
    public static KernelPolicy Mainline { get; } = new()
    {
        Name = "mainline",
        Summary = "Today's kernel: ibv_reg_mr of FS-DAX memory fails EOPNOTSUPP; F_SETLEASE F_LAYOUT is EINVAL; a truncate over busy DAX pages would wait without limit.",
        Citation = "mm/gup.c check_vma_flags (R43); xfs_break_layouts / xfs_break_dax_layouts / dax_layout_busy_page (R44); SEMANTICS.md §3.1–3.2",
        LayoutLease = LayoutLeaseMapping.Unsupported,
        Pin = PinRule.Refuse,
        BreaksLayoutLeases = false,
        OnPinned = PinnedLayoutChange.Wait,
    };

    /// <summary>RFC v1 (June 2019): F_LAYOUT leases; pins need some layout lease; truncate breaks, then ETXTBSY if still pinned.</summary>
    public static KernelPolicy RfcV1 { get; } = new()
    {
        Name = "rfc-v1",
        Summary = "Ira Weiny's RFC v1: pins need some F_LAYOUT lease on the inode (not checked per process); truncate breaks layout leases, then fails ETXTBSY if blocks are still pinned.",
        Citation = "<20190606014544.8339-1-ira.weiny@intel.com>, patches 02, 04, 07, 09 (R45, R48); SEMANTICS.md §2.2",
        LayoutLease = LayoutLeaseMapping.Shared,
        Pin = PinRule.AnyLayoutLease,
        BreaksLayoutLeases = true,
        OnPinned = PinnedLayoutChange.Fail,
    };

    /// <summary>RFC v2 (August 2019): exclusive layout leases by the pinning process, unbreakable, kept alive by pins.</summary>
    public static KernelPolicy RfcV2 { get; } = new()
    {
        Name = "rfc-v2",
        Summary = "Ira Weiny's RFC v2: only the process that took an F_LAYOUT|F_EXCLUSIVE lease (fl_pid) may pin; the lease is never broken — a truncate or another process's write fails ETXTBSY (EDEADLOCK in the holder's process), no signal; pins keep the leased description alive (zombie lease).",
        Citation = "<20190809225833.6657-1-ira.weiny@intel.com>, patches 02, 04, 08, 13, 14 (R46, R47, R49); <20190829020230.GA18249@iweiny-DESK2.sc.intel.com>; SEMANTICS.md §2.3",
        LayoutLease = LayoutLeaseMapping.Exclusive,
        Pin = PinRule.OwnExclusiveLease,
        BreaksLayoutLeases = false,
        OnPinned = PinnedLayoutChange.Wait,
        PinsHoldLease = true,
    };

    /// <summary>Dave Chinner: every process holding pins holds its own live layout lease; breaks wait for pins.</summary>
    public static KernelPolicy LeasePerHolder { get; } = new()
    {
        Name = "lease-per-holder",
        Summary = "Dave Chinner's rule: a process may pin only under its own layout lease, and every process that holds pins (also one that received them) must hold a live layout lease over them; a truncate breaks every layout lease and waits for the pins.",
        Citation = "<20190823032345.GG1119@dread.disaster.area>, <20190824001124.GI1119@dread.disaster.area> (the seed email); SEMANTICS.md §2.5 option 1, §3.4",
        LayoutLease = LayoutLeaseMapping.Shared,
        Pin = PinRule.OwnLayoutLease,
        BreaksLayoutLeases = true,
        OnPinned = PinnedLayoutChange.Wait,
        LeasePerHolder = true,
    };

    /// <summary>Jason Gunthorpe: the memory region references the lease it relies on; the break goes to whoever holds the region.</summary>
    public static KernelPolicy MrHoldsLease { get; } = new()
    {
        Name = "mr-holds-lease",
        Summary = "Jason Gunthorpe's design: the region holds a reference to the layout lease it relies on, so the lease lives while the region does, whichever process holds it; a break is signalled to every process holding the region's verbs context, and the truncate waits for the pins.",
        Citation = "\"the IB MR object itself should hold a reference to the lease it relies upon\", quoted in <20190824001124.GI1119@dread.disaster.area>; <50905b73-b64a-2b02-f5d5-f66ba0d912ab@nvidia.com>; SEMANTICS.md §2.5 option 3",
        LayoutLease = LayoutLeaseMapping.Shared,
        Pin = PinRule.OwnLayoutLease,
        BreaksLayoutLeases = true,
        OnPinned = PinnedLayoutChange.Wait,
        Notify = BreakTarget.ContextHolders,
        PinsHoldLease = true,
    };

    /// <summary>Ira Weiny / Dave Chinner: as RFC v1, and passing pinned objects over SCM_RIGHTS fails.</summary>
    public static KernelPolicy DenyPass { get; } = new()
    {
        Name = "deny-pass",
        Summary = "As rfc-v1, and sendmsg(SCM_RIGHTS) of a verbs context that has regions, or of a data description that regions pin, fails with EBUSY (the errno is this project's choice; the thread named none).",
        Citation = "<20190823171504.GA1092@iweiny-DESK2.sc.intel.com>; Dave Chinner \"Sounds like a fine idea\", <20190824001839.GJ1119@dread.disaster.area>; SEMANTICS.md §2.5 option 2",
        LayoutLease = LayoutLeaseMapping.Shared,
        Pin = PinRule.AnyLayoutLease,
        BreaksLayoutLeases = true,
        OnPinned = PinnedLayoutChange.Fail,
        DenyPassOfPinned = true,
    };

    /// <summary>Dave Chinner: as lease-per-holder, and the last close of a leased file blocks while pins remain.</summary>
    public static KernelPolicy BlockClose { get; } = new()
    {
        Name = "block-close",
        Summary = "As lease-per-holder, and the last close of a description holding a layout lease blocks while regions still pin the file — at exit too, where fds close in an order the kernel does not define.",
        Citation = "<20190817022603.GW6129@dread.disaster.area>, <20190819092409.GM7777@dread.disaster.area>; objections <20190819063412.GA20455@quack2.suse.cz>; SEMANTICS.md §2.5 option 5",
        LayoutLease = LayoutLeaseMapping.Shared,
        Pin = PinRule.OwnLayoutLease,
        BreaksLayoutLeases = true,
        OnPinned = PinnedLayoutChange.Wait,
        LeasePerHolder = true,
        BlockLastClose = true,
    };

    /// <summary>Dan Williams: pins under a layout lease; at the break deadline the lease owner is killed, then the truncate waits for pins.</summary>
    public static KernelPolicy RevokeKill { get; } = new()
    {
        Name = "revoke-kill",
        Summary = "Dan Williams' last resort: pins are allowed under a layout lease; a truncate breaks it, and if the lease is not released by the deadline its owner process is sent SIGKILL; then the truncate waits for the pins.",
        Citation = "<CAPcyv4jpLYUcqA6D_qfGF4FQCu-SuH67FHLcH0fCQTQ-D+hWzQ@mail.gmail.com>; Dave Chinner on killing an owner that no longer holds the file, <20190826055510.GL1119@dread.disaster.area>; SEMANTICS.md §2.6",
        LayoutLease = LayoutLeaseMapping.Shared,
        Pin = PinRule.AnyLayoutLease,
        BreaksLayoutLeases = true,
        OnPinned = PinnedLayoutChange.Wait,
        KillOwnerAtDeadline = true,
    };

    /// <summary>On-demand paging: no long-term pins; truncate invalidates the device mapping and proceeds.</summary>
    public static KernelPolicy Odp { get; } = new()
    {
        Name = "odp",
        Summary = "On-demand-paging regions: nothing is pinned; a truncate invalidates the device's mapping of the freed blocks (mmu notifiers) and proceeds; no lease is needed.",
        Citation = "RFC v1/v2 cover letters; SEMANTICS.md §2.6 (ODP), §3.4",
        LayoutLease = LayoutLeaseMapping.NotNeeded,
        Pin = PinRule.OnDemandPaging,
        BreaksLayoutLeases = false,
        OnPinned = PinnedLayoutChange.Invalidate,
    };

    /// <summary>Pins allowed with no lease, and the mainline DAX truncate path waits for them without limit.</summary>
    public static KernelPolicy WaitForever { get; } = new()
    {
        Name = "wait-forever",
        Summary = "Long-term pins allowed with no lease at all, and the mainline DAX truncate path (dax_layout_busy_page) waiting for them without a time limit: what mainline would do if it allowed the pins.",
        Citation = "xfs_break_dax_layouts / dax_layout_busy_page, \"This approach assumes that the page pinning is transient\" (Dan Williams); SEMANTICS.md §3.2 (R44)",
        LayoutLease = LayoutLeaseMapping.NotNeeded,
        Pin = PinRule.Always,
        BreaksLayoutLeases = false,
        OnPinned = PinnedLayoutChange.Wait,
    };

    /// <summary>The counterfactual: trust the lease, free the blocks once it is released or timed out, without waiting for pins.</summary>
    public static KernelPolicy TrustLease { get; } = new()
    {
        Name = "trust-lease",
        Summary = "Counterfactual: pins under a layout lease; a truncate breaks the lease and, once it is released or timed out (or if none is left), frees the blocks without waiting for the pins — the device may then write into blocks another file owns.",
        Citation = "the hazard Dan Williams' dax_layout_busy_page exists to prevent, <152669371377.34337.10697370528066177062.stgit@dwillia2-desk3.amr.corp.intel.com>; SEMANTICS.md §3.2–3.3 (H1, H10)",
        LayoutLease = LayoutLeaseMapping.Shared,
        Pin = PinRule.AnyLayoutLease,
        BreaksLayoutLeases = true,
        OnPinned = PinnedLayoutChange.Proceed,
    };

    /// <summary>Every policy, in the order of DESIGN.md §3.</summary>
    public static IReadOnlyList<KernelPolicy> All { get; } =
        [Mainline, RfcV1, RfcV2, LeasePerHolder, MrHoldsLease, DenyPass, BlockClose, RevokeKill, Odp, WaitForever, TrustLease];

    /// <summary>The policy named <paramref name="name"/>, or null.</summary>
    public static KernelPolicy? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
