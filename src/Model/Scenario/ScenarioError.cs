namespace MarketSim.Model.Scenario;

/// <summary>One problem in a scenario file, located: file, line, column and the field's path.</summary>
public sealed record ScenarioError(string File, int Line, int Column, string Field, string Message)
{
    /// <summary>file:line:column: field: message; without the field when the error is the file's as a whole (malformed YAML).</summary>
    public override string ToString() => Field.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Field}: {Message}";
}

/// <summary>Either a valid scenario or every error found; never both.</summary>
public sealed record ScenarioLoadResult(ScenarioSpec? Spec, IReadOnlyList<ScenarioError> Errors)
{
    public bool Ok => Spec is not null && Errors.Count == 0;
}

public sealed class ScenarioException(IReadOnlyList<ScenarioError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ScenarioError> Errors { get; } = errors;
}
