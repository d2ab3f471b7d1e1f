# syntax=docker/dockerfile:1
# Build: docker build -t preset-moodboard .
# Run:   docker run -p 8080:8080 -v preset-data:/data -e NanoBanana__BaseUrl=https://api.nanobananaapi.ai -e NanoBanana__ApiKey=<key> preset-moodboard
# Demo:  docker run -p 8080:8080 -v preset-data:/data -e EmbeddedNanoBanana__Enabled=true -e App__SeedDemoData=true preset-moodboard
#        (Production refuses to start without a real NanoBanana or EmbeddedNanoBanana__Enabled=true.)
# Proxy: -e App__BehindProxy=true -e App__KnownNetworks__0=<the proxy's network, e.g. 172.18.0.0/16>

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Preset.Moodboard/Preset.Moodboard.csproj Preset.Moodboard/
RUN dotnet restore Preset.Moodboard/Preset.Moodboard.csproj
COPY Preset.Moodboard/ Preset.Moodboard/
COPY wwwroot-assets/ wwwroot-assets/
RUN dotnet publish Preset.Moodboard/Preset.Moodboard.csproj -c Release -o /app --no-restore /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# SkiaSharp renders and resizes images with the system's fontconfig and a basic font; curl serves the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfontconfig1 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown app:app /data && chmod 700 /data
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    App__DataDirectory=/data
USER app
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "Preset.Moodboard.dll"]
