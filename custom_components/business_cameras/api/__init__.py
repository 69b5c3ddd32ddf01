"""Protocol clients for the camera platforms. Pure asyncio + aiohttp; never imports homeassistant."""
