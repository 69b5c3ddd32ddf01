"""Protocol clients for the camera platforms: pure asyncio + aiohttp, no homeassistant."""
