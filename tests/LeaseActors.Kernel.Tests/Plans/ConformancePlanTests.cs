using LeaseActors.Conformance.Plans;
using LeaseActors.Processes;
using LeaseActors.Topologies;

namespace LeaseActors.Kernel.Tests.Plans;

public sealed class ConformancePlanTests
{
    private static ConformancePlan Plan(string text) => ConformancePlan.Create(TopologyParser.Parse(text, "t.conf"));

    [Fact]
    public void Every_step_gets_a_unique_label_and_wait_for_follows_the_rename()
    {
        var plan = Plan("""
            files.data { path = /d }
            processes {
              A.program = [ { open = data, as = f }, { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK, label = lease } ]
              B.program = [ { wait-for = A.lease }, { open = data, label = lease } ]
            }
            """);
        Assert.Equal(plan.Steps.Length, plan.Steps.Select(s => s.Label).Distinct().Count());
        var aLease = plan.Steps.Single(s => s.Process == "A" && s.UserLabel == "lease");
        var wait = (WaitForStep)plan.Topology.Scenario.Processes.Single(p => p.Name == "B").Program[0];
        Assert.Equal(aLease.Label, wait.Mark);
        Assert.Equal("A", wait.Process);
    }

    [Fact]
    public void Final_queries_of_every_file_fd_come_before_a_closing_exit()
    {
        var plan = Plan("""
            files.data { path = /d }
            sockets.ab = [A, B]
            processes.A.program = [ { open = data, as = f }, { dup = f, as = g }, { exit = 3 } ]
            processes.B.program = [ { sleep = 1s } ]
            """);
        var program = plan.Topology.Scenario.Processes.Single(p => p.Name == "A").Program;
        Assert.IsType<Exit>(((CallStep)program[^1]).Call);
        var finals = plan.Steps.Where(s => s.FinalQuery is not null && s.Process == "A").Select(s => s.FinalQuery!.Value).ToArray();
        Assert.Equal([("f", "F_GETLEASE"), ("f", "F_GETOWN"), ("f", "F_GETSIG"), ("g", "F_GETLEASE"), ("g", "F_GETOWN"), ("g", "F_GETSIG")], finals);
        Assert.DoesNotContain(plan.Steps, s => s.FinalQuery is { Fd: "ab" });
    }

    [Fact]
    public void A_fork_child_is_a_process_of_the_plan_and_queries_the_fds_it_inherits()
    {
        var plan = Plan("""
            files.data { path = /d }
            processes.A.program = [ { open = data, as = f }, { fork = K, program = [ { fcntl = F_GETLEASE, fd = f } ] } ]
            """);
        Assert.Equal(["A", "K"], plan.Processes.Select(p => p.Name));
        Assert.Equal("A", plan.Processes[1].Parent);
        Assert.Contains(plan.Steps, s => s.Process == "K" && s.FinalQuery is { Fd: "f" });
    }

    [Theory]
    [InlineData("processes.A.program = [ { thread = t, program = [ { sleep = 1s } ] } ]")]
    [InlineData("processes.A.program = [ { execve = [ { exit = 0 } ] } ]")]
    [InlineData("policy = rfc-v2\nprocesses.A.program = [ { sleep = 1s } ]")]
    public void Threads_execve_and_proposal_policies_are_refused(string text)
    {
        Assert.Throws<UnsupportedTopologyException>(() => Plan(text));
    }
}
