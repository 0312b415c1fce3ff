namespace LeaseActors.Cli.Tests;

/// <summary>Bad topology files end with exit code 2 and one line naming the file, the HOCON path and what was expected.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "syntax", "processes { A.program = [ { exit = 0 } ", "" },
        { "unknown-key", "colour = blue", "colour" },
        { "unknown-step", "processes.A.program = [ { frobnicate = 1 } ]", "processes.A.program[0]" },
        { "undefined-file", "processes.A.program = [ { open = nothing, as = f } ]", "processes.A.program[0].open" },
        { "undefined-fd", "files.d.path = /d\nprocesses.A.program = [ { close = g } ]", "processes.A.program[0].close" },
        { "undefined-process", "processes.A.program = [ { wait-for = Z.exited } ]", "processes.A.program[0].wait-for" },
        { "negative-duration", "processes.A.program = [ { sleep = -5s } ]", "processes.A.program[0].sleep" },
        { "bad-duration", "sysctl.lease-break-time = soon", "sysctl.lease-break-time" },
        { "foreign-socket", "sockets.ab = [A, B]\nprocesses { A.program = [], B.program = [], C.program = [ { recvmsg = ab, fds = [g] } ] }", "processes.C.program[0].recvmsg" },
        { "bad-flag", "files.d.path = /d\nprocesses.A.program = [ { open = d, flags = [O_SOMETIMES], as = f } ]", "processes.A.program[0].flags" },
        { "bad-signal", "processes.A.handlers.SIGFOO = { takes = 1ms, steps = [] }", "processes.A.handlers" },
        { "policy-name-process", "processes.mainline.program = []", "processes.mainline" },
        { "bad-verdict", "processes.A.program = []\nexpect.verdict = fine", "expect.verdict" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_topology_exits_with_2_and_one_line_naming_the_file_and_path(string name, string text, string path)
    {
        var file = Path.Combine(Path.GetTempPath(), $"leaseactors-bad-{name}-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, text);
        try
        {
            var (exit, output, error) = CliRunner.Run("run", file);
            Assert.True(exit == 2, $"exit {exit}\n{output}{error}");
            var lines = error.TrimEnd().Split('\n');
            Assert.Single(lines);
            Assert.Contains(file, lines[0], StringComparison.Ordinal);
            Assert.Contains(path, lines[0], StringComparison.Ordinal);
            Assert.Equal("", output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
