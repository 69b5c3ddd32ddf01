"""Simplified Chinese texts for translations/zh-Hans.json, keyed by the English text.

Run `python scripts/zh_hans.py` after changing strings.json: it rewrites zh-Hans.json and fails
on any English text that has no Chinese here, so the two never drift apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent / "custom_components" / "business_cameras"

ZH: dict[str, str] = {
    "Add business cameras": "添加商用摄像机",
    "Choose how your cameras are reached.": "选择摄像机的接入方式。",
    "TP-Link VIGI NVR (local OpenAPI)": "TP-Link VIGI 录像机（本地 OpenAPI）",
    "TP-Link VIGI NVR": "TP-Link VIGI 录像机",
    "Turn on OpenAPI on the NVR first (Settings > Network > OpenAPI).": "请先在录像机上开启 OpenAPI（设置 > 网络 > OpenAPI）。",
    "Host": "主机",
    "Port": "端口",
    "Username": "用户名",
    "Password": "密码",
    "IP address or host name of the NVR.": "录像机的 IP 地址或主机名。",
    "The NVR's OpenAPI port (20443 unless you changed it).": "录像机的 OpenAPI 端口（默认 20443）。",
    "An NVR account, usually admin.": "录像机账号，通常为 admin。",
    "The password of that account.": "该账号的密码。",
    "Check the NVR's certificate": "核对录像机的证书",
    "The NVR at {host} presents a self-signed certificate with the SHA-256 fingerprint\n\n`{fingerprint}`\n\nSubmit to trust this certificate. Home Assistant will refuse any other certificate from this NVR until you confirm it.": "位于 {host} 的录像机使用自签名证书，其 SHA-256 指纹为\n\n`{fingerprint}`\n\n提交即信任此证书。在您确认之前，Home Assistant 将拒绝该录像机的任何其他证书。",
    "Sign in to {title} again": "重新登录 {title}",
    "The NVR rejected the stored credentials.": "录像机拒绝了已保存的凭据。",
    "Change the NVR's address or credentials": "修改录像机的地址或凭据",
    "Failed to connect": "连接失败",
    "Invalid authentication": "身份验证无效",
    "The device has locked this account after failed sign-ins. Wait until the lock ends, then try again.": "多次登录失败后设备已锁定该账号。请等待锁定结束后重试。",
    "The device's certificate changed while signing in. Start again to check the new one.": "登录过程中设备证书发生变化。请重新开始以核对新证书。",
    "Unexpected error": "意外错误",
    "Device is already configured": "设备已配置",
    "Re-authentication was successful": "重新认证成功",
    "Re-configuration was successful": "重新配置成功",
    "Options": "选项",
    "Poll interval (seconds)": "轮询间隔（秒）",
    "Stream shown in Home Assistant": "Home Assistant 中显示的码流",
    "Events are pushed; polling only reads status such as disks and PoE.": "事件为推送方式；轮询只读取硬盘、PoE 等状态。",
    "The sub stream needs less bandwidth.": "子码流占用带宽更少。",
    "Main stream": "主码流",
    "Sub stream": "子码流",
    "Motion": "移动侦测",
    "Person": "人形",
    "Vehicle": "车辆",
    "Line crossing": "越界",
    "Intrusion": "区域入侵",
    "Tampering": "遮挡/破坏",
    "Video loss": "视频丢失",
    "Status LED": "状态指示灯",
    "{model} {sn}": "{model} {sn}",
    "SUNMI IP camera (local OpenAPI)": "商米 IP 摄像机（本地 OpenAPI）",
    "SUNMI camera found": "发现商米摄像机",
    "A SUNMI {model} with serial number {sn} answered at {ip}. Add it?": "位于 {ip} 的商米 {model}（序列号 {sn}）已响应。是否添加？",
    "SUNMI camera": "商米摄像机",
    "Enter the OpenAPI credentials SUNMI issued for your store: the app id, the secret key and the client certificate (openapi.p12) with its password. A camera that is not activated yet also needs its activation code.": "请输入商米为您的门店签发的 OpenAPI 凭据：app_id、secret_key 以及客户端证书（openapi.p12）及其密码。尚未激活的摄像机还需要激活码。",
    "App ID": "App ID",
    "Secret key": "密钥",
    "Client certificate (openapi.p12)": "客户端证书（openapi.p12）",
    "Certificate password": "证书密码",
    "Activation code": "激活码",
    "IP address of the camera.": "摄像机的 IP 地址。",
    "The app_id from SUNMI.": "商米提供的 app_id。",
    "The secret_key from SUNMI; it signs every request.": "商米提供的 secret_key，用于为每个请求签名。",
    "The openapi.p12 file SUNMI handed out with the credentials.": "商米随凭据提供的 openapi.p12 文件。",
    "The password of that file.": "该文件的密码。",
    "Only needed once, for a camera that has not been activated.": "仅在摄像机尚未激活时需要一次。",
    "Check the camera's certificate": "核对摄像机的证书",
    "The camera at {host} presents a certificate with the SHA-256 fingerprint\n\n`{fingerprint}`\n\nSubmit to trust it. Home Assistant will refuse any other certificate from this camera until you confirm it.": "位于 {host} 的摄像机出示的证书 SHA-256 指纹为\n\n`{fingerprint}`\n\n提交即信任该证书。在您确认之前，Home Assistant 将拒绝该摄像机的任何其他证书。",
    "The device rejected the stored credentials.": "设备拒绝了已保存的凭据。",
    "The client certificate could not be opened: check the file and its password.": "无法打开客户端证书：请检查文件及其密码。",
    "The camera is not activated yet: enter its activation code.": "摄像机尚未激活：请输入激活码。",
    "The camera did not accept the activation. Check the activation code.": "摄像机未接受激活。请检查激活码。",
    "Another camera answers at this address.": "该地址上响应的是另一台摄像机。",
    "Configuration flow is already in progress": "配置流程已在进行中",
    "Event path": "事件通道",
    "The message channel needs no reachable Home Assistant address; the HTTP callback needs the camera to reach Home Assistant.": "消息通道无需摄像机访问 Home Assistant；HTTP 回调要求摄像机能够访问 Home Assistant。",
    "Message channel (TLS, port 10021)": "消息通道（TLS，端口 10021）",
    "Off": "关闭",
    "On": "开启",
    "Auto": "自动",
    "Motion detection": "移动侦测",
    "Face analysis time": "人脸优选分析时间",
    "Night vision": "夜视模式",
    "Image rotation": "画面旋转",
    "0°": "0°",
    "90°": "90°",
    "180°": "180°",
    "270°": "270°",
    "Zoom": "变焦",
    "Focus": "聚焦",
    "Auto focus": "自动聚焦",
    "Reset zoom and focus": "重置变焦和聚焦",
    "Message channel": "消息通道",
    "HTTP callback": "HTTP 回调",
    "Polling only": "仅轮询",
    "Firmware": "固件",
    "Memory card": "存储卡",
    "Memory card capacity": "存储卡容量",
    "Memory card free space": "存储卡剩余空间",
    "People entered today": "今日进店人数",
    "People left today": "今日离店人数",
    "People passing by today": "今日过店人数",
    "Online": "在线",
    "Event push registered": "事件推送已注册",
    "Disk error": "硬盘错误",
    "Disk full": "硬盘已满",
    "PoE fault": "PoE 故障",
    "Manual alarm": "手动报警",
    "Return PTZ to origin": "云台回到原点",
    "Camera event": "摄像机事件",
    "Face": "人脸",
    "Region entering": "进入区域",
    "Region exiting": "离开区域",
    "Loitering": "徘徊",
    "Alarm input": "报警输入",
    "Scene change": "场景变更",
    "Audio": "声音异常",
    "Object left or taken": "物品遗留或拿取",
    "Doorbell": "门铃",
    "Other": "其他",
    "Device event": "设备事件",
    "Disk missing": "硬盘缺失",
    "Device fault": "设备故障",
    "Storage fault": "存储故障",
    "Last event image": "最近事件图片",
    "Speaker volume": "扬声器音量",
    "Microphone volume": "麦克风音量",
    "Time source": "校时方式",
    "NTP server": "NTP 服务器",
    "Manual": "手动",
    "Disk {index} status": "硬盘 {index} 状态",
    "Normal": "正常",
    "Full": "已满",
    "Unformatted": "未格式化",
    "Formatting": "格式化中",
    "Missing": "缺失",
    "Abnormal": "异常",
    "Disk {index} capacity": "硬盘 {index} 容量",
    "Disk {index} free space": "硬盘 {index} 剩余空间",
    "PoE power budget": "PoE 功率预算",
    "PoE power": "PoE 功率",
    "PoE port {index} power": "PoE 端口 {index} 功率",
    "Main stream resolution": "主码流分辨率",
    "Main stream bitrate": "主码流码率",
    "Mute speaker": "扬声器静音",
    "Mute microphone": "麦克风静音",
    "Noise cancelling": "降噪",
    "PoE port {index}": "PoE 端口 {index}",
    "Formatting erases every recording on the card or disk. Call the action again with confirm: true to format.": "格式化会清除存储卡或硬盘上的所有录像。请加上 confirm: true 再次调用以执行格式化。",
    "Device {device_id} is not a loaded Business Cameras device, so {service} cannot run on it.": "设备 {device_id} 不是已加载的商用摄像机设备，无法执行 {service}。",
    "{device} does not support {service}.": "{device} 不支持 {service}。",
    "{device} could not run the action: {error}": "{device} 无法执行该操作：{error}",
    "Could not change {setting}: {error}": "无法修改 {setting}：{error}",
    "{device} gave no still image: {error}": "{device} 未返回截图：{error}",
    "The device presented a different TLS certificate; see Repairs.": "设备出示了不同的 TLS 证书，请查看“修复”。",
    "The device has locked the account; sign-ins pause until the lock ends.": "设备已锁定账号；锁定结束前暂停登录。",
    "The device rejected the credentials.": "设备拒绝了凭据。",
    "The device answered with error {code} on {endpoint}.": "设备在 {endpoint} 上返回错误 {code}。",
    "The device could not be reached ({error}).": "无法连接设备（{error}）。",
    "{title} presents a new certificate": "{title} 出示了新证书",
    "Trust the new certificate of {title}?": "信任 {title} 的新证书？",
    "The device now presents a certificate with the SHA-256 fingerprint\n\n`{fingerprint}`\n\nThis happens after a factory reset or a firmware update, but also when someone intercepts the connection. Check the fingerprint in the device's web interface, then submit to trust it.": "设备现在出示的证书 SHA-256 指纹为\n\n`{fingerprint}`\n\n恢复出厂设置或升级固件后会出现这种情况，但也可能是连接被他人拦截。请在设备网页界面核对指纹后提交以信任该证书。",
    "The device was removed.": "设备已被删除。",
    "{title} has locked the account": "{title} 已锁定账号",
    "After failed sign-ins the device locked the account. Home Assistant will not try to sign in for about {minutes} minutes, so the lock is not extended. If the password changed, update it when asked.": "多次登录失败后设备锁定了账号。Home Assistant 将在约 {minutes} 分钟内不再尝试登录，以免延长锁定。如果密码已更改，请在提示时更新。",
    "Events from {title} are polled, not pushed": "{title} 的事件改为轮询而非推送",
    "Home Assistant could not register itself as the device's event server (no local URL of Home Assistant is set, or the device has no free event-server slot). Set a local URL under Settings > System > Network, or free a slot on the device, then reload the integration.": "Home Assistant 无法将自身注册为设备的事件服务器（未设置 Home Assistant 的本地 URL，或设备没有空闲的事件服务器位置）。请在 设置 > 系统 > 网络 中设置本地 URL，或在设备上释放一个位置，然后重新加载集成。",
    "Moves pan-tilt cameras back to their origin position.": "将云台摄像机转回原点位置。",
    "Devices": "设备",
    "The cameras to move.": "要转动的摄像机。",
    "Trigger manual alarm": "触发手动报警",
    "Starts the alarm output (siren, light) of cameras.": "启动摄像机的报警输出（警笛、警示灯）。",
    "The cameras whose alarm sounds.": "要报警的摄像机。",
    "Duration": "持续时间",
    "Seconds the alarm lasts, where the device lets you choose.": "报警持续的秒数（设备支持时）。",
    "Format SD card": "格式化存储卡",
    "Erases the memory card of cameras. On an NVR channel reached through the cloud this formats the NVR's disk. Every recording is lost.": "清除摄像机的存储卡。对经云端访问的录像机通道，此操作会格式化录像机硬盘。所有录像都将丢失。",
    "The cameras whose card is formatted.": "要格式化存储卡的摄像机。",
    "Confirm": "确认",
    "Must be on: formatting erases every recording.": "必须开启：格式化会清除所有录像。",
}


def translate(node: Any, missing: list[str]) -> Any:
    """The same tree with every English leaf replaced by its Chinese text."""
    if isinstance(node, dict):
        return {key: translate(value, missing) for key, value in node.items()}
    if isinstance(node, str):
        if node not in ZH:
            missing.append(node)
            return node
        return ZH[node]
    return node


def main() -> int:
    """Rewrite zh-Hans.json from en.json."""
    english = json.loads((ROOT / "translations" / "en.json").read_text(encoding="utf-8"))
    missing: list[str] = []
    chinese = translate(english, missing)
    if missing:
        print("No Chinese text for:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    target = ROOT / "translations" / "zh-Hans.json"
    target.write_text(json.dumps(chinese, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
