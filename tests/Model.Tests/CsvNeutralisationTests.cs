using MarketSim.Classrooms;
using MarketSim.Model.Output;

namespace MarketSim.Model.Tests;

/// <summary>CSV injection (OWASP): text a spreadsheet would read as a formula gets a leading single quote; numbers stay numbers.</summary>
public class CsvNeutralisationTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("-", "'-")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("\rCR", "'\rCR")]
    [InlineData("-Infinity", "'-Infinity")]
    public void Formula_like_text_is_prefixed_with_a_quote(string cell, string expected) =>
        Assert.Equal(expected, CsvFormat.Neutralise(cell));

    [Theory]
    [InlineData("-1.5")]
    [InlineData("+3")]
    [InlineData("-0.000001")]
    [InlineData("-2e-7")]
    [InlineData("1E+15")]
    [InlineData("-.5")]
    [InlineData("12")]
    [InlineData("2026-01-01")]
    [InlineData("CN")]
    [InlineData("a=b")]
    [InlineData("")]
    public void Numbers_and_plain_text_are_left_alone(string cell) =>
        Assert.Equal(cell, CsvFormat.Neutralise(cell));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_number_that_is_not_finite_is_written_as_an_empty_cell(double value)
    {
        Assert.Equal("", CsvFormat.Number(value));
        Assert.Equal("", CsvFormat.Share(value));
    }

    [Fact]
    public void Quote_neutralises_then_quotes()
    {
        Assert.Equal("'=1+1", CsvFormat.Quote("=1+1"));
        Assert.Equal("\"'=SUM(A1,A2)\"", CsvFormat.Quote("=SUM(A1,A2)"));
        Assert.Equal("\"'\r=x\"", CsvFormat.Quote("\r=x"));
        Assert.Equal("-1.5,'-x,'@y,plain\n", CsvFormat.Line(["-1.5", "-x", "@y", "plain"]));
    }

    [Fact]
    public void A_student_name_that_is_a_formula_is_neutralised_in_decisions_csv()
    {
        var world = ScenarioLoader.LoadText(ScenarioYaml.Valid, "t.yaml").Spec!;
        var d = new Decision(1, 10, DateTimeOffset.UnixEpoch, "s1", "=HYPERLINK(\"http://evil\",\"x\")", "JP", "@lever", -1.5, "+student", "-desc");
        var csv = ClassroomRecord.DecisionsCsv(world, [d]);
        Assert.EndsWith("\n1,10,2025-01-11,1970-01-01T00:00:00Z,s1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",JP,'@lever,-1.5,'+student,'-desc\n", csv);
    }
}
