using MarketSim.Dashboard.Classrooms;
using Microsoft.JSInterop;

namespace MarketSim.Dashboard.Components.Classroom;

/// <summary>
/// The browser's localStorage keys of a classroom: the instructor's token and a student's seat token. They stay in the
/// browser that received them, so a closed tab (or a reload) gets the same seat or console back.
/// </summary>
public static class ClassroomStorage
{
    public static string InstructorKey(string code) => $"marketsim.classroom.{Tokens.NormaliseCode(code)}.instructor";
    public static string SeatKey(string code) => $"marketsim.classroom.{Tokens.NormaliseCode(code)}.seat";

    public static ValueTask<string?> GetItemAsync(this IJSRuntime js, string key) => js.InvokeAsync<string?>("localStorage.getItem", key);
    public static ValueTask SetItemAsync(this IJSRuntime js, string key, string value) => js.InvokeVoidAsync("localStorage.setItem", key, value);
    public static ValueTask RemoveItemAsync(this IJSRuntime js, string key) => js.InvokeVoidAsync("localStorage.removeItem", key);
}
