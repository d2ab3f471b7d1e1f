using System.Globalization;
using System.Text;

namespace Preset.Moodboard.Features.Assistant.Mcp;

/// <summary>Tool results as plain text a model reads well: short lines, ids spelled out, links in full.</summary>
internal static class McpText
{
    public static string Boards(IReadOnlyList<BoardListItem> boards, string? search)
    {
        if (boards.Count == 0)
        {
            return string.IsNullOrWhiteSpace(search)
                ? "The user has no boards yet. Create one with create_board."
                : $"No board title matches “{search}”. Call list_boards without a search to see them all.";
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{boards.Count} board(s):\n");
        foreach (var board in boards)
        {
            text.Append(CultureInfo.InvariantCulture, $"- “{board.Title}” — board_id {board.Id}; {board.ItemCount} item(s); permission: {board.Permission}; owner: {board.OwnerName}");
            if (board.Palette.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"; palette {string.Join(" ", board.Palette)}");
            }

            text.Append(CultureInfo.InvariantCulture, $"; changed {board.UpdatedAt:yyyy-MM-dd HH:mm} UTC\n");
        }

        return text.ToString();
    }

    public static string Board(BoardContent board)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Board “{board.Title}” (board_id {board.Id}), owned by {board.OwnerName}; your permission: {board.Permission}.\n");
        if (!string.IsNullOrWhiteSpace(board.Description))
        {
            text.Append(CultureInfo.InvariantCulture, $"Description: {board.Description}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Palette: {(board.Palette.Count == 0 ? "none yet" : string.Join(" ", board.Palette))}\n");
        text.Append(CultureInfo.InvariantCulture, $"{board.Items.Count} item(s), in board order:\n");
        var number = 0;
        foreach (var item in board.Items)
        {
            number++;
            text.Append(CultureInfo.InvariantCulture, $"{number}. ");
            text.Append(item switch
            {
                { Image: { } image } => $"Image (item_id {item.Id}), {image.Width}×{image.Height}" +
                    (item.Generation is { } g ? $", made from the prompt “{g.Prompt}”{(g.ViaAssistant ? " via an assistant" : "")}" : ", uploaded") +
                    (item.ParentItemId is { } parent ? $", edited from item {parent}" : "") +
                    (item.Caption is { } caption ? $"; caption “{caption}”" : "") +
                    (image.Colors.Count > 0 ? $"; colours {string.Join(" ", image.Colors)}" : "") +
                    $"\n   View: {image.Url}",
                { Generation: { } g } => $"Image being made (item_id {item.Id}): {g.State}{(g.Reason is { } reason ? $" — {reason}" : "")}; prompt “{g.Prompt}”; generation_id {g.GenerationId}",
                { Kind: "note" } => $"Note (item_id {item.Id}): {item.Text}",
                { Kind: "color_swatch" } => $"Colour swatch {item.Color} (item_id {item.Id})",
                _ => $"{item.Kind} (item_id {item.Id})",
            });
            if (item.Verdicts.Count + item.Comments.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" [{item.Verdicts.Count} verdict(s), {item.Comments.Count} comment(s) — see get_board_feedback]");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public static string Feedback(BoardContent board)
    {
        var reviewed = board.Items.Where(i => i.Verdicts.Count + i.Comments.Count > 0).ToList();
        if (reviewed.Count == 0 && board.BoardComments.Count == 0)
        {
            return $"No feedback on “{board.Title}” yet (no verdicts or comments). Share the board with reviewers from the studio to get some.";
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Feedback on “{board.Title}” (board_id {board.Id}):\n");
        foreach (var item in reviewed)
        {
            var subject = item.Generation?.Prompt is { } prompt ? $"image from the prompt “{prompt}”" : item.Caption is { } caption ? $"image “{caption}”" : "image";
            text.Append(CultureInfo.InvariantCulture, $"\nOn the {subject} (item_id {item.Id}):\n");
            var counts = item.Verdicts.GroupBy(v => v.Verdict).Select(g => $"{g.Count()} {g.Key.Replace('_', ' ')}");
            if (item.Verdicts.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  Verdicts: {string.Join(", ", counts)}\n");
            }

            foreach (var verdict in item.Verdicts)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - {verdict.Reviewer}: {verdict.Verdict.Replace('_', ' ')}{(verdict.Note is { } note ? $" — “{note}”" : "")}\n");
            }

            foreach (var comment in item.Comments)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - comment by {comment.Author} ({comment.At:yyyy-MM-dd}): “{comment.Text}”\n");
            }
        }

        if (board.BoardComments.Count > 0)
        {
            text.Append("\nOn the board as a whole:\n");
            foreach (var comment in board.BoardComments)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - {comment.Author} ({comment.At:yyyy-MM-dd}): “{comment.Text}”\n");
            }
        }

        return text.ToString();
    }

    public static string Generation(GenerationDetails generation)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"Generation {generation.Id} on board {generation.BoardId}: {generation.Status}; {generation.Succeeded} of {generation.Tasks.Count} image(s) ready" +
            $"{(generation.Failed > 0 ? $", {generation.Failed} failed" : "")}. Prompt: “{generation.Prompt}” ({generation.AspectRatio}).\n");
        var number = 0;
        foreach (var task in generation.Tasks)
        {
            number++;
            text.Append(CultureInfo.InvariantCulture, $"{number}. ");
            text.Append(task switch
            {
                { Image: { } image } => $"Ready (item_id {task.ItemId}), {image.Width}×{image.Height}: {image.Url}",
                { Reason: { } reason } => $"{task.State}: {reason}",
                _ => $"{task.State} (item_id {task.ItemId})",
            });
            text.Append('\n');
        }

        if (generation.Succeeded > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"The links work until {generation.Tasks.First(t => t.Image is not null).Image!.ExpiresAt:yyyy-MM-dd HH:mm} UTC; the images stay on the board.\n");
        }

        return text.ToString();
    }

    public static string Credits(CreditsContent credits)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"This month: {credits.Left:N0} of {credits.MonthlyQuota:N0} credits left ({credits.Used:N0} used, {credits.Reserved:N0} reserved by images in progress). " +
            $"An image costs {credits.CreditsPerImage} credit(s), so about {(credits.CreditsPerImage == 0 ? 0 : credits.Left / credits.CreditsPerImage):N0} more image(s). " +
            $"The quota resets on {credits.ResetsAt:yyyy-MM-dd}.");
        if (credits.Account is { } account)
        {
            text.Append(account.Reachable
                ? $"\nImage service account balance (admin view): {account.Credits:N0} credits, checked {account.CheckedAt:yyyy-MM-dd HH:mm} UTC."
                : $"\nImage service account (admin view): not reachable — {account.Message}");
        }

        return text.ToString();
    }
}
