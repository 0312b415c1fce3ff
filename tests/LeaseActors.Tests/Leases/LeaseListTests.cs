using LeaseActors.Leases;

namespace LeaseActors.Tests.Leases;

/// <summary>The fs/locks.c rules of <see cref="LeaseList"/>, checked against the observations cited in SEMANTICS.md.</summary>
public sealed class LeaseListTests
{
    private static readonly long Lbt = TimeSpan.FromSeconds(45).Ticks;
    private static readonly OfdId A = new(1), B = new(2), C = new(3);
    private readonly List<LeaseChange> _changes = [];

    private Errno Take(LeaseList list, OfdId ofd, LeaseType type, bool read = true, bool write = false, long now = 0, bool enable = true) =>
        list.AddLease(ofd, type, LeaseClass.Lease, read, write, enable, flPid: 100, now, _changes);

    [Fact]
    public void Write_lease_on_the_sole_read_only_open_succeeds_P1()
    {
        var list = new LeaseList();
        list.AddOpen(A, fmodeRead: true, fmodeWrite: false);
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_WRLCK));
        Assert.Equal(LeaseType.F_WRLCK, list.GetLease(A, 0, _changes));
    }

    [Fact]
    public void Write_lease_fails_with_EAGAIN_while_another_description_is_open_P2()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        list.AddOpen(B, true, false);
        Assert.Equal(Errno.EAGAIN, Take(list, A, LeaseType.F_WRLCK));
        list.RemoveOpen(B);
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_WRLCK));
    }

    [Fact]
    public void Read_lease_fails_with_EAGAIN_while_the_file_is_open_for_write_P8_P10()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, true);
        Assert.Equal(Errno.EAGAIN, Take(list, A, LeaseType.F_RDLCK, read: true, write: true));
        var other = new LeaseList();
        other.AddOpen(A, true, false);
        other.AddOpen(B, false, true);
        Assert.Equal(Errno.EAGAIN, Take(other, A, LeaseType.F_RDLCK));
    }

    [Fact]
    public void Two_descriptions_hold_read_leases_at_once_and_a_write_lease_then_fails_P11_P12()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        list.AddOpen(B, true, false);
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_RDLCK));
        Assert.Equal(Errno.None, Take(list, B, LeaseType.F_RDLCK));
        Assert.Equal(Errno.EAGAIN, Take(list, A, LeaseType.F_WRLCK));
        Assert.Equal(LeaseType.F_RDLCK, list.GetLease(A, 0, _changes));
    }

    [Fact]
    public void Downgrade_succeeds_on_a_read_only_description_and_fails_on_a_read_write_one_P14_P15()
    {
        var ro = new LeaseList();
        ro.AddOpen(A, true, false);
        Take(ro, A, LeaseType.F_WRLCK);
        Assert.Equal(Errno.None, Take(ro, A, LeaseType.F_RDLCK));

        var rw = new LeaseList();
        rw.AddOpen(A, true, true);
        Assert.Equal(Errno.None, Take(rw, A, LeaseType.F_WRLCK, read: true, write: true));
        Assert.Equal(Errno.EAGAIN, Take(rw, A, LeaseType.F_RDLCK, read: true, write: true));
        Assert.Equal(LeaseType.F_WRLCK, rw.GetLease(A, 0, _changes));
    }

    [Fact]
    public void Unlock_without_a_lease_is_EAGAIN_P16()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Assert.Equal(Errno.EAGAIN, list.DeleteLease(A, LeaseClass.Lease, _changes));
    }

    [Fact]
    public void A_new_lease_is_EINVAL_when_leases_are_disabled_but_an_existing_one_still_changes_P22_A17()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Assert.Equal(Errno.EINVAL, Take(list, A, LeaseType.F_RDLCK, enable: false));
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_RDLCK));
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_WRLCK, enable: false));
    }

    [Fact]
    public void A_reader_breaks_a_write_lease_to_a_downgrade_and_is_signalled_once_B1_B17()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Take(list, A, LeaseType.F_WRLCK);
        list.AddOpen(B, true, false);
        Assert.Equal(BreakOutcome.MustWait, list.Break(10, wantWrite: false, LeaseClass.Lease, Lbt, false, _changes));
        Assert.Single(_changes.OfType<LeaseChange.Notify>());
        Assert.Equal(LeaseType.F_RDLCK, list.GetLease(A, 20, _changes));
        // another reader skips a lease that is already breaking
        _changes.Clear();
        list.AddOpen(C, true, false);
        Assert.Equal(BreakOutcome.MustWait, list.Break(30, false, LeaseClass.Lease, Lbt, false, _changes));
        Assert.Empty(_changes.OfType<LeaseChange.Notify>());
        // a writer signals the downgrade-pending lease a second time
        Assert.Equal(BreakOutcome.MustWait, list.Break(40, true, LeaseClass.Lease, Lbt, false, _changes));
        Assert.Single(_changes.OfType<LeaseChange.Notify>());
        // holder answers with F_RDLCK: the reader may go on, but the writer still conflicts
        _changes.Clear();
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_RDLCK, now: 50));
        Assert.True(list.Recheck(50, false, LeaseClass.Lease, _changes));
        Assert.False(list.Recheck(50, true, LeaseClass.Lease, _changes));
    }

    [Fact]
    public void An_unanswered_writer_break_removes_the_lease_at_its_deadline_and_a_reader_break_downgrades_B7_B8()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Take(list, A, LeaseType.F_RDLCK);
        list.AddOpen(B, false, true);
        Assert.Equal(BreakOutcome.MustWait, list.Break(0, true, LeaseClass.Lease, Lbt, false, _changes));
        Assert.Equal(Lbt, list.NextDeadline(0));
        Assert.False(list.Recheck(Lbt - 1, true, LeaseClass.Lease, _changes));
        Assert.True(list.Recheck(Lbt, true, LeaseClass.Lease, _changes));
        Assert.Contains(_changes, c => c is LeaseChange.Removed { Reason: LeaseChangeReason.BreakTimeout });

        var wr = new LeaseList();
        wr.AddOpen(A, true, true);
        Take(wr, A, LeaseType.F_WRLCK, read: true, write: true);
        wr.AddOpen(B, true, false);
        wr.Break(0, false, LeaseClass.Lease, Lbt, false, _changes);
        Assert.True(wr.Recheck(Lbt, false, LeaseClass.Lease, _changes));
        Assert.Equal(LeaseType.F_RDLCK, wr.GetLease(A, Lbt, _changes)); // downgraded even on O_RDWR (B04)
    }

    [Fact]
    public void Expiry_is_lazy_and_deleting_does_not_apply_it()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Take(list, A, LeaseType.F_RDLCK);
        list.Break(0, true, LeaseClass.Lease, Lbt, nonBlocking: true, _changes);
        _changes.Clear();
        // past the deadline nobody touched the list: the lease is still there and F_UNLCK finds it
        Assert.Equal(Errno.None, list.DeleteLease(A, LeaseClass.Lease, _changes));
        Assert.Contains(_changes, c => c is LeaseChange.Removed { Reason: LeaseChangeReason.Holder });
    }

    [Fact]
    public void A_new_read_lease_fails_while_an_unlock_break_is_pending_B15()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Take(list, A, LeaseType.F_RDLCK);
        list.Break(0, true, LeaseClass.Lease, Lbt, nonBlocking: true, _changes);
        list.AddOpen(B, true, false);
        Assert.Equal(Errno.EAGAIN, Take(list, B, LeaseType.F_RDLCK, now: 1));
    }

    [Fact]
    public void With_lease_break_time_0_a_lease_never_times_out_Z1()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Take(list, A, LeaseType.F_RDLCK);
        list.Break(0, true, LeaseClass.Lease, 0, false, _changes);
        Assert.Null(list.NextDeadline(0));
        Assert.False(list.Recheck(TimeSpan.FromDays(1).Ticks, true, LeaseClass.Lease, _changes));
    }

    [Fact]
    public void A_reader_does_not_break_a_read_lease_B3()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Take(list, A, LeaseType.F_RDLCK);
        Assert.Equal(BreakOutcome.Proceed, list.Break(0, false, LeaseClass.Lease, Lbt, false, _changes));
        Assert.Empty(_changes.OfType<LeaseChange.Notify>());
    }

    [Fact]
    public void A_downgrade_deadline_stays_armed_after_the_break_is_answered_so_a_retaken_write_lease_is_undone()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, false);
        Take(list, A, LeaseType.F_WRLCK);
        list.AddOpen(B, true, false);
        list.Break(0, false, LeaseClass.Lease, Lbt, false, _changes);
        Take(list, A, LeaseType.F_RDLCK, now: 10);
        list.RemoveOpen(B);
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_WRLCK, now: 20));
        Assert.Equal(LeaseType.F_WRLCK, list.GetLease(A, 30, _changes));
        Assert.Equal(LeaseType.F_RDLCK, list.GetLease(A, Lbt, _changes)); // silently downgraded, no signal
        Assert.Equal(Errno.None, Take(list, A, LeaseType.F_WRLCK, now: Lbt + 10));
        Assert.Equal(LeaseType.F_RDLCK, list.GetLease(A, Lbt + 10, _changes)); // undone at once
    }

    [Fact]
    public void Layout_leases_are_not_broken_by_lease_breakers_and_coexist()
    {
        var list = new LeaseList();
        list.AddOpen(A, true, true);
        list.AddOpen(B, true, true);
        Assert.Equal(Errno.None, list.AddLease(A, LeaseType.F_RDLCK, LeaseClass.Layout, true, true, true, 1, 0, _changes));
        Assert.Equal(Errno.None, list.AddLease(B, LeaseType.F_RDLCK, LeaseClass.Layout, true, true, true, 2, 0, _changes));
        Assert.Equal(BreakOutcome.Proceed, list.Break(0, true, LeaseClass.Lease, Lbt, false, _changes));
        Assert.Equal(BreakOutcome.MustWait, list.Break(0, true, LeaseClass.Layout, Lbt, false, _changes));
        Assert.Equal(2, _changes.OfType<LeaseChange.Notify>().Count());
    }
}
