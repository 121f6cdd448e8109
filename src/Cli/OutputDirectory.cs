namespace MarketSim.Cli;

/// <summary>
/// Stages a run's files in a hidden sibling of the target directory and moves them in only once every file is complete,
/// so a crash, an error or Ctrl+C never leaves a partial set of CSV files that looks like a finished run.
/// </summary>
public sealed class OutputDirectory : IDisposable
{
    public string Target { get; }
    public string Staging { get; }
    bool _committed;

    OutputDirectory(string target, string staging) { Target = target; Staging = staging; }

    /// <summary>Creates the staging directory now, so an unwritable destination fails before any simulation time is spent.</summary>
    public static OutputDirectory Create(string target)
    {
        var full = Path.GetFullPath(target);
        if (File.Exists(full)) throw new IOException($"'{target}' exists and is a file, not a directory");
        var trimmed = Path.TrimEndingDirectorySeparator(full);
        var parent = Path.GetDirectoryName(trimmed) ?? throw new IOException($"'{target}' has no parent directory to stage files in");
        Directory.CreateDirectory(parent);
        // A name no other run has: two concurrent runs into the same target must not share a staging directory, and a process
        // id alone does not tell them apart across containers (each container's first process is 1), where the second run
        // deleted the first's staging and the first then committed the second's half-written files (a review, Dec 2026).
        string staging;
        do staging = Path.Combine(parent, $".{Path.GetFileName(trimmed)}.partial-{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}");
        while (Directory.Exists(staging));
        Directory.CreateDirectory(staging);
        return new OutputDirectory(trimmed, staging);
    }

    public TextWriter Open(string fileName) =>
        new StreamWriter(Path.Combine(Staging, fileName), append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>Moves every staged file into the target (a fresh target is one atomic rename) and removes the staging directory.</summary>
    public void Commit()
    {
        if (!Directory.Exists(Target))
            Directory.Move(Staging, Target);
        else
        {
            foreach (var f in Directory.GetFiles(Staging).Order(StringComparer.Ordinal))
                File.Move(f, Path.Combine(Target, Path.GetFileName(f)), overwrite: true);
            Directory.Delete(Staging, recursive: true);
        }
        _committed = true;
    }

    /// <summary>Without a commit, the staged files are thrown away.</summary>
    public void Dispose()
    {
        if (_committed) return;
        try { if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true); }
        catch (IOException) { } // best effort: the hidden directory never looks like a finished run
        catch (UnauthorizedAccessException) { }
    }
}
