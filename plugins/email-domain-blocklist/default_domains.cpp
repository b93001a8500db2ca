// default_domains.cpp - free consumer mailbox providers, the addresses anyone can get without
// belonging to an organisation. The aim is the common ones, not completeness: operators extend the
// list with `block:` or a `blockFile` (for example a published disposable-address list) and carve
// out exceptions with `allow:`.
//
// A "name.*" entry covers that provider under every suffix (yahoo.com, yahoo.co.uk, yahoo.fr),
// and every entry covers its subdomains. Only providers whose name is their own brand get a
// wildcard: "mail.*" or "web.*" would catch ordinary company domains.
// Changing this list changes who can sign up on every deployment that keeps the default: note it
// in the README's change log.
#include "default_domains.hpp"

namespace email_domain_blocklist {
namespace {

constexpr std::string_view kDefaultBlockedDomains[] = {
    // Google
    "gmail.com", "googlemail.com",
    // Yahoo and its older brands
    "yahoo.*", "ymail.com", "rocketmail.com",
    // Microsoft
    "outlook.*", "hotmail.*", "live.*", "msn.com", "windowslive.com",
    // Apple
    "icloud.com", "me.com", "mac.com",
    // AOL
    "aol.com", "aim.com",
    // Proton, Tuta and other privacy-first providers
    "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tutanota.de", "tutamail.com",
    "tuta.io", "tuta.com", "hushmail.com", "mailfence.com", "disroot.org", "posteo.de", "posteo.net",
    // GMX / mail.com (United Internet)
    "gmx.*", "mail.com", "email.com", "usa.com", "web.de",
    // Yandex, Mail.ru and other Russian-language providers
    "yandex.*", "ya.ru", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "rambler.ru", "ukr.net",
    // Zoho's free tier and Fastmail
    "zohomail.com", "fastmail.com", "fastmail.fm",
    // Other European providers
    "t-online.de", "freenet.de", "orange.fr", "wanadoo.fr", "laposte.net", "free.fr", "sfr.fr", "libero.it",
    "virgilio.it", "tiscali.it", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "abv.bg",
    "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com",
    // North American ISPs
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "earthlink.net",
    "charter.net", "shaw.ca", "rogers.com", "sympatico.ca",
    // Asia and Oceania
    "qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net", "hanmail.net", "rediffmail.com",
    "bigpond.com",
};

}  // namespace

std::span<const std::string_view> defaultBlockedDomains() noexcept { return kDefaultBlockedDomains; }

}  // namespace email_domain_blocklist
