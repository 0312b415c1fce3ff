using System.Text.RegularExpressions;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Topologies;

/// <summary>docs/topology-format.md stays true: every ```hocon example in it is a valid topology.</summary>
public sealed partial class TopologyFormatDocTests
{
    public static TheoryData<int, string> Examples()
    {
        var data = new TheoryData<int, string>();
        var blocks = HoconBlock().Matches(File.ReadAllText(DocPath())).Select(m => m.Groups[1].Value).ToList();
        for (var i = 0; i < blocks.Count; i++) data.Add(i, blocks[i]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_HOCON_example_of_the_format_documentation_parses(int index, string example)
    {
        var topology = TopologyParser.Parse(example, $"topology-format.md example {index}");

        Assert.NotNull(topology.Scenario);
    }

    [Fact]
    public void The_documentation_has_an_example_of_every_step_kind()
    {
        var examples = string.Join("\n", Examples().Select(row => (string)row[1]));
        string[] kinds =
        [
            "open", "close", "dup", "fork", "thread", "exit-thread", "execve", "exit", "kill", "setpgid", "setuid", "setfsuid",
            "cap-lease", "fcntl", "stat", "truncate", "ftruncate", "write", "unlink", "rename", "link", "chmod", "chown",
            "utimensat", "mmap", "munmap", "socketpair", "sendmsg", "recvmsg", "sigaction", "sigprocmask", "sleep", "label",
            "wait-for", "fault",
        ];
        foreach (var kind in kinds)
            Assert.Matches(new Regex(@"\{ " + Regex.Escape(kind) + " = "), examples);
        foreach (var command in new[] { "F_SETLEASE", "F_GETLEASE", "F_SETOWN", "F_SETOWN_EX", "F_GETOWN", "F_GETOWN_EX", "F_SETSIG", "F_GETSIG", "F_SETFD" })
            Assert.Contains("fcntl = " + command + ",", examples, StringComparison.Ordinal);
    }

    private static string DocPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "topology-format.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "LeaseActors.sln"))) return candidate;
        }
        throw new FileNotFoundException("docs/topology-format.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"```hocon\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex HoconBlock();
}
