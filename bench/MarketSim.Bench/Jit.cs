/// <summary>Methods compiled and seconds the JIT spent, as a difference between two readings of <c>System.Runtime.JitInfo</c>.</summary>
readonly record struct Jit(long Methods, double Seconds)
{
    public static Jit operator -(Jit a, Jit b) => new(a.Methods - b.Methods, a.Seconds - b.Seconds);

    /// <summary>Each timed run's methods compiled and JIT seconds: a run that still compiles is not yet the warm speed.</summary>
    public static string Describe(IReadOnlyList<Jit> runs) =>
        "JIT per run: " + string.Join(", ", runs.Select(j => $"{j.Methods} methods {j.Seconds:0.000} s"));
}
