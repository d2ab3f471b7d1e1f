using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Preset.Moodboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ComposerPreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ComposerPreferences",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    BoardId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AspectRatio = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Watermark = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComposerPreferences", x => new { x.UserId, x.BoardId });
                    table.ForeignKey(
                        name: "FK_ComposerPreferences_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ComposerPreferences_Boards_BoardId",
                        column: x => x.BoardId,
                        principalTable: "Boards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ComposerPreferences_BoardId",
                table: "ComposerPreferences",
                column: "BoardId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ComposerPreferences");
        }
    }
}
