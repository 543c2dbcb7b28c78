//! The `errcode` values WeChat documents globally, by name.
//!
//! Names are ours; the doc of each variant is the official meaning. Codes the table
//! does not list (and endpoint-specific ones) stay usable as [`ErrorCode::Other`].

use std::fmt;

macro_rules! error_codes {
    ($($(#[doc = $doc:literal])+ $name:ident = $code:literal,)+) => {
        /// A WeChat `errcode`, named when it is in the global return-code table.
        ///
        /// Compare with a raw number through [`ErrorCode::as_i64`] or `code == 40001`;
        /// build one from a number with `ErrorCode::from(40001)`. A code that later
        /// gets a name moves out of `Other`, so match on names, not on `Other(n)`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $name,)+
            /// A code outside the global table.
            Other(i64),
        }

        impl ErrorCode {
            /// The raw `errcode`.
            pub fn as_i64(self) -> i64 {
                match self {
                    $(ErrorCode::$name => $code,)+
                    ErrorCode::Other(code) => code,
                }
            }

            /// The official meaning of a known code, or `None` for [`ErrorCode::Other`].
            pub fn description(self) -> Option<&'static str> {
                match self {
                    $(ErrorCode::$name => Some(concat!($($doc),+).trim_ascii()),)+
                    ErrorCode::Other(_) => None,
                }
            }
        }

        impl From<i64> for ErrorCode {
            fn from(code: i64) -> Self {
                match code {
                    $($code => ErrorCode::$name,)+
                    other => ErrorCode::Other(other),
                }
            }
        }
    };
}

error_codes! {
    /// 系统错误
    SystemError = -1000,
    /// 系统繁忙，此时请开发者稍候再试 (system busy; retryable)
    SystemBusy = -1,
    /// 获取 access_token 时 AppSecret 错误，或者 access_token 无效
    InvalidCredential = 40001,
    /// 不合法的凭证类型
    InvalidGrantType = 40002,
    /// 不合法的 OpenID（未关注或其他公众号的 OpenID）
    InvalidOpenId = 40003,
    /// 不合法的媒体文件类型
    InvalidMediaType = 40004,
    /// 不合法的文件类型
    InvalidFileType = 40005,
    /// 不合法的文件大小
    InvalidFileSize = 40006,
    /// 不合法的媒体文件 id
    InvalidMediaId = 40007,
    /// 不合法的消息类型
    InvalidMessageType = 40008,
    /// 不合法的图片文件大小
    InvalidImageSize = 40009,
    /// 不合法的语音文件大小
    InvalidVoiceSize = 40010,
    /// 不合法的视频文件大小
    InvalidVideoSize = 40011,
    /// 不合法的缩略图文件大小
    InvalidThumbSize = 40012,
    /// 不合法的 AppID
    InvalidAppId = 40013,
    /// 不合法的 access_token（请检查是否过期 / 是否为恰当的公众号）
    InvalidAccessToken = 40014,
    /// 不合法的菜单类型
    InvalidMenuType = 40015,
    /// 不合法的按钮个数
    InvalidButtonCount = 40016,
    /// 不合法的子菜单按钮个数 / 按钮类型 (sources differ)
    InvalidMenuButtons = 40017,
    /// 不合法的按钮名字长度
    InvalidButtonNameLength = 40018,
    /// 不合法的按钮 KEY 长度
    InvalidButtonKeyLength = 40019,
    /// 不合法的按钮 URL 长度
    InvalidButtonUrlLength = 40020,
    /// 不合法的菜单版本号
    InvalidMenuVersion = 40021,
    /// 不合法的子菜单级数
    InvalidSubMenuLevel = 40022,
    /// 不合法的子菜单按钮个数
    InvalidSubButtonCount = 40023,
    /// 不合法的子菜单按钮类型
    InvalidSubButtonType = 40024,
    /// 不合法的子菜单按钮名字长度
    InvalidSubButtonNameLength = 40025,
    /// 不合法的子菜单按钮 KEY 长度
    InvalidSubButtonKeyLength = 40026,
    /// 不合法的子菜单按钮 URL 长度
    InvalidSubButtonUrlLength = 40027,
    /// 不合法的自定义菜单使用用户
    InvalidMenuUser = 40028,
    /// 不合法（无效）的 oauth_code
    InvalidOAuthCode = 40029,
    /// 不合法的 refresh_token
    InvalidRefreshToken = 40030,
    /// 不合法的 openid 列表
    InvalidOpenIdList = 40031,
    /// 不合法的 openid 列表长度
    InvalidOpenIdListLength = 40032,
    /// 不合法的请求字符，不能包含 \uxxxx 格式的字符
    InvalidCharacters = 40033,
    /// 不合法的参数
    InvalidParameter = 40035,
    /// 错误的模板消息 ID
    InvalidTemplateId = 40037,
    /// 不合法的请求格式
    InvalidRequestFormat = 40038,
    /// 不合法的 URL 长度
    InvalidUrlLength = 40039,
    /// 无效的 url
    InvalidUrl = 40048,
    /// 不合法的分组 id
    InvalidGroupId = 40050,
    /// 分组名字不合法
    InvalidGroupName = 40051,
    /// 不支持的操作
    UnsupportedAction = 40053,
    /// 自定义菜单的按钮里，网址有误
    InvalidMenuButtonUrl = 40054,
    /// 自定义子菜单的按钮里，网址有误
    InvalidSubMenuButtonUrl = 40055,
    /// 删除单篇图文时，指定的 article_idx 不合法
    InvalidArticleIndex = 40060,
    /// 错误的行业号
    InvalidIndustryId = 40102,
    /// 分组（标签）名字不合法
    InvalidTagName = 40117,
    /// media_id 大小不合法
    InvalidMediaIdSize = 40118,
    /// button 类型错误
    WrongButtonType = 40119,
    /// 子 button 类型错误
    WrongSubButtonType = 40120,
    /// 不合法的 media_id 类型
    InvalidMediaIdType = 40121,
    /// 无效的 appsecret
    InvalidAppSecret = 40125,
    /// 微信号不合法
    InvalidWechatId = 40132,
    /// 不支持的图片格式
    UnsupportedImageFormat = 40137,
    /// 请勿添加其他公众号的主页链接
    ForeignHomepageLink = 40155,
    /// oauth_code 已使用
    OAuthCodeUsed = 40163,
    /// 调用方 IP 不在白名单中 (invalid ip … not in whitelist)
    IpNotInWhitelist = 40164,
    /// 缺少 access_token 参数
    MissingAccessToken = 41001,
    /// 缺少 appid 参数
    MissingAppId = 41002,
    /// 缺少 refresh_token 参数
    MissingRefreshToken = 41003,
    /// 缺少 secret 参数
    MissingSecret = 41004,
    /// 缺少多媒体文件数据
    MissingMediaData = 41005,
    /// 缺少 media_id 参数
    MissingMediaId = 41006,
    /// 缺少子菜单数据
    MissingSubMenuData = 41007,
    /// 缺少 oauth code
    MissingOAuthCode = 41008,
    /// 缺少 openid
    MissingOpenId = 41009,
    /// page 路径不正确
    InvalidPagePath = 41030,
    /// access_token 超时
    AccessTokenExpired = 42001,
    /// refresh_token 超时
    RefreshTokenExpired = 42002,
    /// oauth_code 超时
    OAuthCodeExpired = 42003,
    /// 用户修改微信密码，access_token 和 refresh_token 失效，需要重新授权
    UserPasswordChanged = 42007,
    /// 需要 GET 请求
    RequireGet = 43001,
    /// 需要 POST 请求
    RequirePost = 43002,
    /// 需要 HTTPS 请求
    RequireHttps = 43003,
    /// 需要接收者关注
    RequireSubscription = 43004,
    /// 需要好友关系
    RequireFriendship = 43005,
    /// 用户被拉黑，需要公众号把该用户从黑名单里移除
    UserBlocked = 43019,
    /// 修改行业超过限制（每月一次）
    IndustryChangeLimit = 43100,
    /// 用户拒绝接受消息（订阅关系已取消）
    UserRefusedMessages = 43101,
    /// 多媒体文件为空
    EmptyMediaFile = 44001,
    /// POST 的数据包为空
    EmptyPostData = 44002,
    /// 图文消息内容为空
    EmptyNewsContent = 44003,
    /// 文本消息内容为空
    EmptyTextContent = 44004,
    /// 多媒体文件大小超过限制
    MediaSizeLimit = 45001,
    /// 消息内容超过限制
    ContentSizeLimit = 45002,
    /// 标题字段超过限制
    TitleSizeLimit = 45003,
    /// 描述字段超过限制
    DescriptionSizeLimit = 45004,
    /// 链接字段超过限制
    UrlSizeLimit = 45005,
    /// 图片链接字段超过限制
    PicUrlSizeLimit = 45006,
    /// 语音播放时间超过限制
    VoiceDurationLimit = 45007,
    /// 图文消息数量超过限制
    ArticleCountLimit = 45008,
    /// 接口调用频率超过限制 (api freq out of limit; daily quota)
    ApiFreqLimit = 45009,
    /// 创建菜单个数超过限制
    MenuCountLimit = 45010,
    /// API 调用太频繁，请稍候再试
    ApiMinuteQuotaLimit = 45011,
    /// 回复时间超过限制（5 秒 / 48 小时客服窗口）
    ReplyTimeLimit = 45015,
    /// 系统分组，不允许修改
    SystemGroupReadOnly = 45016,
    /// 分组名字过长
    GroupNameTooLong = 45017,
    /// 分组数量超过上限
    GroupCountLimit = 45018,
    /// 模板消息数量超过限制
    TemplateCountLimit = 45026,
    /// 模板消息与行业信息冲突
    TemplateIndustryConflict = 45027,
    /// 客服接口下行条数超过上限
    CustomerServiceMessageLimit = 45047,
    /// 创建菜单包含未关联的小程序
    MenuUnlinkedMiniProgram = 45064,
    /// 相同 clientmsgid 已存在群发记录
    DuplicateClientMsgId = 45065,
    /// 相同 clientmsgid 重试速度过快，请间隔1分钟重试
    ClientMsgIdRetryTooFast = 45066,
    /// clientmsgid 长度超过限制
    ClientMsgIdTooLong = 45067,
    /// 不支持的图文消息内容
    UnsupportedNewsContent = 45166,
    /// 不存在媒体数据
    MediaNotFound = 46001,
    /// 不存在的菜单版本
    MenuVersionNotFound = 46002,
    /// 不存在的菜单数据
    MenuNotFound = 46003,
    /// 不存在的用户
    UserNotFound = 46004,
    /// 解析 JSON/XML 内容错误
    ParseError = 47001,
    /// 模板参数不准确
    InvalidTemplateArguments = 47003,
    /// API 功能未授权
    ApiUnauthorized = 48001,
    /// 用户拒收公众号消息（在公众号选项中，关闭了“接收消息”）
    UserRejectedMessages = 48002,
    /// 公众号管理员没有同意微信群发协议
    MassSendAgreementMissing = 48003,
    /// API 接口被封禁
    ApiBlocked = 48004,
    /// API 禁止删除被自动回复和自定义菜单引用的素材
    MaterialInUse = 48005,
    /// API 清零次数失败，因为清零次数达到上限
    ClearQuotaLimit = 48006,
    /// 没有该类型消息的发送权限
    MessageTypeNotPermitted = 48008,
    /// 用户未授权该 API
    UserUnauthorizedApi = 50001,
    /// 用户受限，可能是违规后接口被封禁
    UserRestricted = 50002,
    /// 用户未关注公众号
    UserNotFollowing = 50005,
    /// 发布功能被封禁
    PublishBlocked = 53500,
    /// 频繁请求发布
    PublishTooFrequent = 53501,
    /// Publish ID 无效
    InvalidPublishId = 53502,
    /// Article ID 无效
    InvalidArticleId = 53600,
    /// 公众号未授权给开放平台
    NotAuthorizedToOpenPlatform = 61003,
    /// 公众号未授权该 API 给开放平台
    ApiNotAuthorizedToOpenPlatform = 61007,
    /// 错误的开放平台 Refresh Token
    InvalidOpenPlatformRefreshToken = 61023,
    /// 参数错误（客服接口）
    KfInvalidParameter = 61451,
    /// 无效客服账号
    KfInvalidAccount = 61452,
    /// 客服帐号已存在
    KfAccountExists = 61453,
    /// 客服帐号名长度超过限制
    KfAccountNameTooLong = 61454,
    /// 客服帐号名包含非法字符
    KfAccountNameInvalidChars = 61455,
    /// 客服帐号个数超过限制
    KfAccountCountLimit = 61456,
    /// 无效头像文件类型
    KfInvalidAvatarType = 61457,
    /// 日期格式错误
    InvalidDateFormat = 61500,
    /// 部分参数为空
    MissingParameters = 63001,
    /// 无效的 JS SDK 签名
    InvalidJsSdkSignature = 63002,
    /// 不存在此 menuid 对应的个性化菜单
    ConditionalMenuNotFound = 65301,
    /// 没有默认菜单，不能创建个性化菜单
    NoDefaultMenu = 65303,
    /// MatchRule 信息为空
    EmptyMatchRule = 65304,
    /// 个性化菜单数量受限
    ConditionalMenuLimit = 65305,
    /// 不支持个性化菜单的帐号
    ConditionalMenuUnsupported = 65306,
    /// 个性化菜单信息为空
    EmptyConditionalMenu = 65307,
    /// 包含没有响应类型的 button
    ButtonWithoutAction = 65308,
    /// 个性化菜单开关处于关闭状态
    ConditionalMenuDisabled = 65309,
    /// 填写了省份或城市信息，国家信息不能为空
    CountryRequired = 65310,
    /// 填写了城市信息，省份信息不能为空
    ProvinceRequired = 65311,
    /// 不合法的国家信息
    InvalidCountry = 65312,
    /// 不合法的省份信息
    InvalidProvince = 65313,
    /// 不合法的城市信息
    InvalidCity = 65314,
    /// 菜单设置了过多的域名外跳（最多 3 个）
    TooManyMenuDomains = 65316,
    /// 不合法的 URL
    InvalidMenuUrl = 65317,
    /// 无效的签名
    InvalidSignature = 87009,
    /// 内容可能潜在风险
    RiskyContent = 87014,
}

impl ErrorCode {
    /// Whether the code says the access token was rejected (40001, 40014, 42001), so a
    /// fresh token may succeed where this one failed.
    pub fn is_token_rejected(self) -> bool {
        matches!(
            self,
            ErrorCode::InvalidCredential | ErrorCode::InvalidAccessToken | ErrorCode::AccessTokenExpired
        )
    }

    /// Whether WeChat asks to simply try again later (-1, system busy).
    pub fn is_busy(self) -> bool {
        self == ErrorCode::SystemBusy
    }
}

impl From<ErrorCode> for i64 {
    fn from(code: ErrorCode) -> Self {
        code.as_i64()
    }
}

impl PartialEq<i64> for ErrorCode {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == *other
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_i64())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn known_codes_round_trip_through_i64() {
        for raw in [-1000, -1, 40001, 40014, 42001, 45009, 61451, 87014] {
            let code = ErrorCode::from(raw);
            assert!(!matches!(code, ErrorCode::Other(_)), "{raw} should be known");
            assert_eq!(code.as_i64(), raw);
            assert_eq!(i64::from(code), raw);
            assert!(code.description().is_some_and(|d| !d.is_empty()));
        }
    }

    #[test]
    fn unknown_codes_keep_their_number() {
        let code = ErrorCode::from(9_001_001);
        assert_eq!(code, ErrorCode::Other(9_001_001));
        assert_eq!(code.as_i64(), 9_001_001);
        assert_eq!(code.description(), None);
        assert!(code == 9_001_001);
    }

    #[test]
    fn token_rejection_codes_are_exactly_the_three() {
        let rejected: Vec<i64> = (-1000..=90_000)
            .filter(|raw| ErrorCode::from(*raw).is_token_rejected())
            .collect();
        assert_eq!(rejected, [40001, 40014, 42001]);
        assert!(ErrorCode::from(-1).is_busy());
        assert!(!ErrorCode::from(45009).is_busy());
    }
}
