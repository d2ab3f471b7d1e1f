using System.ComponentModel.DataAnnotations;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Boards;

public sealed class BoardInput
{
    [Required(ErrorMessage = "Give the board a title.")]
    [StringLength(Board.TitleMaxLength, ErrorMessage = "Keep the title to {1} characters or fewer.")]
    public string? Title { get; set; }

    [StringLength(Board.DescriptionMaxLength, ErrorMessage = "Keep the description to {1} characters or fewer.")]
    public string? Description { get; set; }
}

public sealed record BoardSummary(
    Guid Id,
    string Title,
    string? Description,
    int ItemCount,
    DateTime UpdatedAt,
    IReadOnlyList<string> Palette,
    BoardPermission Permission,
    string OwnerName,
    IReadOnlyList<string>? CoverThumbnails = null);

public sealed record BoardDetails(
    Guid Id,
    string Title,
    string? Description,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<string> Palette,
    BoardPermission Permission,
    string OwnerName,
    Guid? CoverItemId = null);

public enum BoardError
{
    NotFound,
    Forbidden,
    Invalid,
}

/// <summary>The outcome of a board operation: a value, or why not (with field messages when the input was invalid).</summary>
public sealed record BoardResult<T>(T? Value, BoardError? Error, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool Succeeded => Error is null;

    public static BoardResult<T> Ok(T value) => new(value, null);
    public static BoardResult<T> Fail(BoardError error) => new(default, error);
    public static BoardResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(default, BoardError.Invalid, errors);
}
