"""govmedia: 政务新媒体管理平台."""
