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

    /// <summary>The stored value, or null when nothing is stored or the browser keeps no storage for the site (private browsing,
    /// storage turned off: localStorage throws, and an exception here would end the page).</summary>
    public static async ValueTask<string?> GetItemAsync(this IJSRuntime js, string key)
    {
        try { return await js.InvokeAsync<string?>("localStorage.getItem", key); }
        catch (JSException) { return null; }
    }

    /// <summary>Whether this browser will keep a seat's token: checked before a seat is created, so a browser that cannot keep
    /// it is told so and no seat is left taking a place that nobody holds the token of.</summary>
    public static async ValueTask<bool> CanStoreAsync(this IJSRuntime js)
    {
        try
        {
            await js.InvokeVoidAsync("localStorage.setItem", "marketsim.probe", "1");
            await js.InvokeVoidAsync("localStorage.removeItem", "marketsim.probe");
            return true;
        }
        catch (JSException) { return false; }
    }

    public static ValueTask SetItemAsync(this IJSRuntime js, string key, string value) => js.InvokeVoidAsync("localStorage.setItem", key, value);
    public static ValueTask RemoveItemAsync(this IJSRuntime js, string key) => js.InvokeVoidAsync("localStorage.removeItem", key);
}
