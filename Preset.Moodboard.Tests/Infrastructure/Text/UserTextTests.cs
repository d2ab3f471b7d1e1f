using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Tests.Infrastructure.Text;

public sealed class UserTextTests
{
    [Theory]
    [InlineData("  Autumn editorial  ", "Autumn editorial")]
    [InlineData("evil\u202Egnp.exe", "evilgnp.exe")]
    [InlineData("ze\u200Bro\u200Cwidth\uFEFF", "zerowidth")]
    [InlineData("bell\u0007 and\u0000 null", "bell and null")]
    [InlineData("isolate \u2066x\u2069", "isolate x")]
    [InlineData("line\r\nbreak", "line break")]
    [InlineData("Cafe\u0301", "Café")]
    [InlineData("artist 👩\u200D🎨", "artist 👩\u200D🎨")]
    public void ShouldStripWhatCannotBeSeenFromOneLineText(string input, string expected) =>
        Assert.Equal(expected, UserText.Clean(input));

    [Fact]
    public void ShouldKeepLineBreaksInMultilineText() =>
        Assert.Equal("first\nsecond\tindented", UserText.Clean("first\r\nsecond\tindented\u200B", multiline: true));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u200B\u202E\u0007")]
    public void ShouldTurnTextWithNothingVisibleIntoNull(string? input) => Assert.Null(UserText.Clean(input));
}
