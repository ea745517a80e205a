package brand

import "strings"

// Brand is one commonly impersonated brand.
type Brand struct {
	Name string
	// Domains are the registered domains the brand owns; the first is its
	// main one. A name under any of them is never flagged.
	Domains []string
	// Keywords are the labels impersonators imitate ("paypal"). Each keyword
	// reports the first domain whose leftmost label it is, else Domains[0].
	Keywords []string
}

// b builds a built-in brand: keywords are space separated.
func b(name, keywords string, domains ...string) Brand {
	return Brand{Name: name, Keywords: strings.Fields(keywords), Domains: domains}
}

// cc expands label under each space-separated suffix: cc("amazon", "de fr").
func cc(label, suffixes string) []string {
	var out []string
	for _, s := range strings.Fields(suffixes) {
		out = append(out, label+"."+s)
	}
	return out
}

// join concatenates domain lists.
func join(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// globalCC are the country suffixes the largest brands register their name under.
const globalCC = "com net org co.uk uk de fr it es nl be at ch se no dk fi pl pt ie cz hu ro gr ru ua tr " +
	"ca us com.mx com.br com.ar cl co com.co pe com.pe co.jp jp cn com.cn com.hk hk com.tw tw co.kr kr in co.in " +
	"com.au au co.nz nz co.za sg com.sg com.my co.id co.th com.ph com.vn ae sa com.sa co.il il com.eg com.pk lk ie is lu"

// googleCC are the further country sites of Google.
const googleCC = "ad al am as az ba bf bg bi bj bs bt by cat cd cf cg ci cm cv dj dm dz ee fm ga ge gg gl gm gp gy hn hr ht iq " +
	"je jo ki kg kz la li lv md me mg mk ml mn ms mu mv mw ne nr nu ps rs rw sc sh si sk sm sn so sr st td tg tk tl tm tn " +
	"to tt vg vu ws com.ly com.do com.ec com.pr com.ng com.bd com.kw com.bn com.ua com.tr co.ve co.hu"

// builtinBrands are the brands nfr protects out of the box. Keywords are
// chosen to be distinctive; very short or dictionary-word names get only
// the safer techniques (see index.go).
var builtinBrands = []Brand{
	// Payment and money transfer.
	b("PayPal", "paypal", join(cc("paypal", "com me de fr it es co.uk nl ca com.au at ch be pl"),
		[]string{"paypalobjects.com", "paypal-community.com", "paypal-prepaid.com", "paypal.cn", "paypal-mktg.com",
			"paypalcorp.com", "paypal-communication.com", "paypal-brasil.com.br", "paypal-dynamic.com", "paypalinc.com"})...),
	b("Venmo", "venmo", "venmo.com"),
	b("Zelle", "zelle zellepay", "zellepay.com", "zelle.com"),
	b("Cash App", "cashapp", "cash.app", "cashapp.com"),
	b("Square", "squareup", "squareup.com", "square.com", "squarecdn.com", "squareupsandbox.com"),
	b("Stripe", "stripe", "stripe.com", "stripe.network", "stripe.dev", "stripecdn.com"),
	b("Visa", "visa", "visa.com", "visa.co.uk", "visaeurope.com"),
	b("Mastercard", "mastercard", "mastercard.com", "mastercard.us", "mastercard.co.uk", "mastercard.de"),
	b("American Express", "americanexpress amex", "americanexpress.com", "amex.com", "aexp.com", "americanexpress.co.uk",
		"americanexpress.ca", "aexp-static.com"),
	b("Discover", "discovercard", "discover.com", "discovercard.com"),
	b("Western Union", "westernunion", "westernunion.com", "wu.com"),
	b("MoneyGram", "moneygram", "moneygram.com"),
	b("Wise", "transferwise", "wise.com", "transferwise.com"),
	b("Alipay", "alipay", "alipay.com", "alipayobjects.com", "alipay.cn"),
	b("Payoneer", "payoneer", "payoneer.com"),
	b("Klarna", "klarna", "klarna.com", "klarna.net", "klarnacdn.net", "klarnaservices.com", "klarnaevt.com"),
	b("Afterpay", "afterpay", "afterpay.com", "afterpay.com.au"),
	b("Skrill", "skrill", "skrill.com"),
	b("Revolut", "revolut", "revolut.com", "revolut.me"),
	b("Monzo", "monzo", "monzo.com", "monzo.me"),
	b("Chime", "chime", "chime.com"),
	b("Paysafecard", "paysafecard", "paysafecard.com"),
	b("Neteller", "neteller", "neteller.com"),

	// Banks.
	b("Chase", "chase jpmorgan jpmorganchase", "chase.com", "jpmorganchase.com", "jpmorgan.com", "chasecdn.com"),
	b("Bank of America", "bankofamerica bofa", "bankofamerica.com", "bofa.com", "bac-assets.com", "bankofamerica.co.uk", "mbna.com"),
	b("Wells Fargo", "wellsfargo", "wellsfargo.com", "wf.com", "wellsfargomedia.com", "wellsfargoadvisors.com"),
	b("Citibank", "citibank citigroup citi", "citi.com", "citibank.com", "citigroup.com", "citibankonline.com", "citicards.com", "citibank.co.uk"),
	b("Capital One", "capitalone", "capitalone.com", "capitalone.co.uk", "capitalone.ca", "capitalone360.com"),
	b("U.S. Bank", "usbank", "usbank.com"),
	b("PNC", "pncbank", "pnc.com"),
	b("Truist", "truist", "truist.com"),
	b("TD Bank", "tdbank tdcanadatrust", "td.com", "tdbank.com", "tdcanadatrust.com"),
	b("HSBC", "hsbc", join(cc("hsbc", "com co.uk com.hk ca fr de com.au com.mx co.in com.sg ae"), []string{"hsbcnet.com", "us.hsbc.com"})...),
	b("Barclays", "barclays barclaycard", "barclays.com", "barclays.co.uk", "barclaycard.co.uk", "barclaycard.com", "barclaysus.com", "barclaycardus.com"),
	b("Lloyds", "lloydsbank lloyds", "lloydsbank.com", "lloydsbank.co.uk", "lloydsbankinggroup.com", "lloyds.com"),
	b("NatWest", "natwest", "natwest.com", "natwestgroup.com", "rbs.co.uk", "rbs.com"),
	b("Santander", "santander", "santander.com", "santander.co.uk", "santanderbank.com", "santander.com.br", "santandernet.com.br", "santander.es",
		"santander.de", "santander.pl", "santander.com.mx", "santander.cl", "santander.com.ar", "santanderconsumer.com"),
	b("Halifax", "halifax", "halifax.co.uk", "halifax-online.co.uk"),
	b("BNP Paribas", "bnpparibas", "bnpparibas.com", "bnpparibas.fr", "bnpparibas.net", "mabanque.bnpparibas"),
	b("Societe Generale", "societegenerale", "societegenerale.com", "societegenerale.fr", "sgcib.com"),
	b("Credit Agricole", "creditagricole credit-agricole", "credit-agricole.com", "credit-agricole.fr", "ca-cib.com"),
	b("ING", "ingbank", join(cc("ing", "com nl de be es it pl ro at com.au fr"), []string{"ing-diba.de"})...),
	b("Deutsche Bank", "deutschebank deutsche-bank", "deutsche-bank.de", "db.com", "deutschebank.com", "deutsche-bank.com"),
	b("Commerzbank", "commerzbank", "commerzbank.de", "commerzbank.com"),
	b("Sparkasse", "sparkasse", "sparkasse.de", "sparkasse.at"),
	b("UBS", "ubsbank", "ubs.com"),
	b("Credit Suisse", "creditsuisse credit-suisse", "credit-suisse.com"),
	b("RBC Royal Bank", "rbcroyalbank royalbank", "rbc.com", "rbcroyalbank.com", "royalbank.com", "rbcgam.com"),
	b("Scotiabank", "scotiabank", "scotiabank.com", "scotiaonline.com"),
	b("BMO", "bmoharris", "bmo.com", "bmoharris.com"),
	b("CIBC", "cibc", "cibc.com", "cibconline.cibc.com"),
	b("ICBC", "icbc", "icbc.com.cn"),
	b("Desjardins", "desjardins", "desjardins.com"),
	b("Interac", "interac", "interac.ca", "etransfer.interac.ca"),
	b("Commonwealth Bank", "commbank netbank", "commbank.com.au", "netbank.com.au", "cba.com.au"),
	b("Westpac", "westpac", "westpac.com.au", "westpac.co.nz", "westpac.com"),
	b("ANZ", "anzbank", "anz.com", "anz.com.au", "anz.co.nz"),
	b("NAB", "nabbank", "nab.com.au"),
	b("Charles Schwab", "schwab", "schwab.com", "schwabcdn.com"),
	b("Fidelity", "fidelity", "fidelity.com", "fidelity.co.uk", "fmr.com", "fidelityinvestments.com"),
	b("Vanguard", "vanguard", "vanguard.com", "vanguard.co.uk", "vanguardinvestor.co.uk"),
	b("USAA", "usaa", "usaa.com"),
	b("Navy Federal", "navyfederal", "navyfederal.org"),
	b("Ally Bank", "allybank", "ally.com"),
	b("Nationwide", "nationwide", "nationwide.co.uk", "nationwide.com"),
	b("Intesa Sanpaolo", "intesasanpaolo", "intesasanpaolo.com", "intesasanpaolo.it"),
	b("UniCredit", "unicredit", "unicredit.it", "unicredit.eu", "unicreditgroup.eu", "unicredit.de"),
	b("BBVA", "bbva", "bbva.com", "bbva.es", "bbva.mx", "bbva.com.ar", "bbva.pe", "bbva.com.co"),
	b("CaixaBank", "caixabank", "caixabank.es", "caixabank.com"),
	b("Itau", "itau", "itau.com.br", "itau.com"),
	b("Bradesco", "bradesco", "bradesco.com.br", "bradesco.com"),
	b("Banco do Brasil", "bancodobrasil", "bb.com.br", "bancodobrasil.com.br"),
	b("Nubank", "nubank", "nubank.com.br", "nu.com.mx", "nubank.com"),
	b("Mercado Pago", "mercadopago", "mercadopago.com", "mercadopago.com.br", "mercadopago.com.ar", "mercadopago.com.mx"),
	b("N26", "n26bank", "n26.com"),
	b("SoFi", "sofi", "sofi.com"),
	b("Robinhood", "robinhood", "robinhood.com"),
	b("eToro", "etoro", "etoro.com"),

	// Crypto exchanges and wallets.
	b("Coinbase", "coinbase", "coinbase.com", "coinbase.net", "cbhq.net"),
	b("Binance", "binance", "binance.com", "binance.us", "binance.org", "bnbstatic.com", "binance.info", "binance.vision"),
	b("Kraken", "kraken", "kraken.com", "kraken.net"),
	b("Gemini", "gemini", "gemini.com"),
	b("Crypto.com", "cryptocom", "crypto.com"),
	b("Bitfinex", "bitfinex", "bitfinex.com"),
	b("KuCoin", "kucoin", "kucoin.com"),
	b("OKX", "okex", "okx.com", "okex.com"),
	b("Bybit", "bybit", "bybit.com"),
	b("Bitstamp", "bitstamp", "bitstamp.net"),
	b("Huobi", "huobi", "huobi.com", "htx.com"),
	b("Bitpanda", "bitpanda", "bitpanda.com"),
	b("Poloniex", "poloniex", "poloniex.com"),
	b("Blockchain.com", "blockchain", "blockchain.com", "blockchain.info"),
	b("MetaMask", "metamask", "metamask.io"),
	b("Ledger", "ledger ledgerlive", "ledger.com"),
	b("Trezor", "trezor", "trezor.io"),
	b("Trust Wallet", "trustwallet", "trustwallet.com"),
	b("Exodus", "exoduswallet", "exodus.com"),
	b("Uniswap", "uniswap", "uniswap.org"),
	b("OpenSea", "opensea", "opensea.io"),
	b("Phantom", "phantomwallet", "phantom.app"),

	// Mail, identity and telecom.
	b("Google", "google gmail googlemail youtube", join(cc("google", globalCC), cc("google", googleCC), []string{"gmail.com", "googlemail.com",
		"googleapis.com", "gstatic.com", "googleusercontent.com", "googlevideo.com", "googlesyndication.com",
		"googleadservices.com", "google-analytics.com", "googletagmanager.com", "googletagservices.com", "doubleclick.net",
		"gvt1.com", "gvt2.com", "gvt3.com", "ggpht.com", "withgoogle.com", "googleblog.com", "blogger.com", "blogspot.com",
		"android.com", "chrome.com", "goo.gl", "g.co", "youtube.com", "youtu.be", "ytimg.com", "youtube-nocookie.com",
		"googledomains.com", "google.dev", "googlezip.net", "googleoptimize.com", "googleweblight.com", "app-measurement.com",
		"googlecode.com", "googlehosted.com", "googledrive.com", "googlesource.com", "firebaseio.com", "gmodules.com",
		"1e100.net", "googlecommerce.com", "googlepay.com", "google.ai", "googletraveladservices.com", "googleanalytics.com",
		"googlesyndication-cn.com", "googleadsserving.cn", "googleapis.cn", "google-analytics-cn.com", "googleoptimize-cn.com",
		"googletagmanager-cn.com", "googleusercontent.cn", "googlefiber.net", "youtubekids.com", "youtubeeducation.com",
		"googlecnapps.cn", "googleapps.com", "googlemaps.com", "googleplay.com", "googlearth.com"})...),
	b("Microsoft", "microsoft outlook hotmail office365 onedrive sharepoint microsoftonline microsoft365 xbox skype",
		"microsoft.com", "microsoftonline.us", "xboxservices.com", "microsoftazure.us", "live.com", "outlook.com", "office.com", "office365.com", "office.net", "microsoftonline.com",
		"hotmail.com", "msn.com", "bing.com", "azure.com", "azure.net", "windows.com", "windows.net", "windowsupdate.com",
		"sharepoint.com", "onedrive.com", "skype.com", "skype.net", "xbox.com", "xboxlive.com", "msft.net", "azureedge.net",
		"microsoft365.com", "msftncsi.com", "msftconnecttest.com", "microsoftonline-p.com", "microsoftonline-p.net", "sharepointonline.com", "msauth.net", "msocsp.com",
		"msecnd.net", "aspnetcdn.com", "visualstudio.com", "live.net", "outlook.live.com", "hotmail.co.uk", "onenote.com",
		"onenote.net", "sfx.ms", "office.net", "lync.com", "microsoftstore.com", "microsoft.net", "msedge.net",
		"azurewebsites.net", "trafficmanager.net", "microsoftazuread-sso.com", "microsoftpersonalcontent.com",
		"s-microsoft.com", "mp.microsoft.com", "gfx.ms", "passport.net", "msidentity.com", "dynamics.com", "powerbi.com",
		"microsoftstream.com", "yammer.com", "linkedin.com", "github.com", "nuget.org", "azurefd.net", "microsoftapp.net",
		"windowsazure.com", "outlookmobile.com", "live.co.uk", "office365.us", "microsoft.us", "microsoftedge.com",
		"officeapps.live.com", "skypeassets.com", "xboxab.com", "microsoftcasualgames.com", "bingapis.com"),
	b("Apple", "apple icloud itunes appleid", join(cc("apple", "com co.uk de fr it es ca com.au co.jp cn com.cn"),
		[]string{"icloud.com", "me.com", "mac.com", "itunes.com", "apple.news", "apple-cloudkit.com", "aaplimg.com",
			"cdn-apple.com", "mzstatic.com", "icloud-content.com", "apple-dns.net", "apple-livephotoskit.com",
			"appleiphonecell.com", "apple-mapkit.com", "applemusic.com", "apple.co", "icloud.com.cn", "appstore.com",
			"apple-cdn.net", "applecard.apple", "appleid.apple.com", "apple-dns.cn", "safebrowsing.apple"})...),
	b("Yahoo", "yahoo ymail", join(cc("yahoo", "com co.jp co.uk fr de net"), []string{"yimg.com", "ymail.com",
		"yahooapis.com", "yahoodns.net", "rocketmail.com", "yahoo-inc.com", "aol.com", "aolcdn.com", "aol.co.uk",
		"yahoosmallbusiness.com", "yhoo.it", "yahoomail.com"})...),
	b("AOL", "aolmail", "aol.com", "aolcdn.com", "aol.co.uk", "aim.com"),
	b("Proton", "protonmail protonvpn", "proton.me", "protonmail.com", "protonmail.ch", "protonvpn.com", "pm.me"),
	b("Zoho", "zoho", "zoho.com", "zoho.eu", "zoho.in", "zohocdn.com", "zohostatic.com", "zohomail.com"),
	b("GMX", "gmxmail", "gmx.net", "gmx.com", "gmx.de", "gmx.at", "gmx.ch"),
	b("Yandex", "yandex", "yandex.ru", "yandex.com", "yandex.net", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua",
		"yandex.com.tr", "yastatic.net", "yandex.st", "yandexcloud.net"),
	b("Mail.ru", "mailru", "mail.ru", "imgsmail.ru", "mycdn.me", "ok.ru"),
	b("Comcast Xfinity", "xfinity comcast", "xfinity.com", "comcast.net", "comcast.com"),
	b("AT&T", "attmail", "att.com", "att.net", "sbcglobal.net", "bellsouth.net"),
	b("Verizon", "verizon", "verizon.com", "verizon.net", "verizonwireless.com", "vzw.com"),
	b("T-Mobile", "tmobile t-mobile", "t-mobile.com", "t-mobile.de", "t-mobile.nl", "tmobile.com"),
	b("Vodafone", "vodafone", "vodafone.com", "vodafone.co.uk", "vodafone.de", "vodafone.it", "vodafone.es", "vodafone.nl"),
	b("Orange", "orangemail", "orange.fr", "orange.com", "orange.es", "orange.pl"),
	b("Okta", "okta", "okta.com", "oktacdn.com", "okta-emea.com", "oktapreview.com"),
	b("Norton", "norton nortonlifelock", "norton.com", "nortonlifelock.com", "symantec.com"),
	b("McAfee", "mcafee", "mcafee.com", "mcafeesecure.com"),

	// Cloud, SaaS and developer platforms.
	b("Amazon", "amazon amazonaws primevideo", join(cc("amazon", "com co.uk de fr it es ca co.jp com.au in com.br com.mx nl se pl sg ae sa com.tr com.be cn eg"),
		[]string{"amazonaws.com", "amazon-adsystem.com", "media-amazon.com", "ssl-images-amazon.com", "images-amazon.com",
			"a2z.com", "amazontrust.com", "amazonvideo.com", "primevideo.com", "amazon.dev", "amazonpay.com", "amazonpay.in",
			"awsstatic.com", "aws.com", "amazoncognito.com", "amazonalexa.com", "amazon-corp.com", "amazonworkspaces.com",
			"amazonsilk.com", "aiv-cdn.net", "aiv-delivery.net", "amazonaws.com.cn", "amazon.jobs", "audible.com",
			"twitch.tv", "ring.com", "amazonbusiness.com", "amazonfresh.com", "amazoninspire.com", "amazonmusic.com",
			"amazonpayments.com", "amazonstatic.com", "payments-amazon.com", "assoc-amazon.com", "assoc-amazon.co.uk"})...),
	b("Dropbox", "dropbox", "dropbox.com", "dropboxusercontent.com", "dropboxapi.com", "dropboxstatic.com", "db.tt",
		"dropbox-dns.com", "dropboxbusiness.com"),
	b("DocuSign", "docusign", "docusign.com", "docusign.net"),
	b("Adobe", "adobe", "adobe.com", "adobe.io", "adobelogin.com", "adobedtm.com", "adobe.net", "adobecc.com",
		"adobesc.com", "adobesign.com", "echosign.com", "adobestock.com", "typekit.net", "behance.net", "adobeprojectm.com", "adobess.com", "adobeexchange.com"),
	b("Salesforce", "salesforce", "salesforce.com", "force.com", "salesforceliveagent.com", "sfdcstatic.com",
		"salesforce-communities.com", "salesforce-sites.com", "exacttarget.com", "visualforce.com", "lightning.force.com"),
	b("Zoom", "zoom", "zoom.us", "zoom.com", "zoomgov.com"),
	b("Slack", "slack", "slack.com", "slack-edge.com", "slack-msgs.com", "slack-imgs.com", "slack-files.com"),
	b("WeTransfer", "wetransfer", "wetransfer.com", "we.tl", "wetransfer.net"),
	b("Atlassian", "atlassian", "atlassian.com", "atlassian.net", "jira.com", "bitbucket.org", "trello.com", "statuspage.io"),
	b("GitHub", "github", "github.com", "github.io", "githubusercontent.com", "githubassets.com", "github.dev", "githubapp.com"),
	b("GitLab", "gitlab", "gitlab.com", "gitlab.io", "gitlab.net"),
	b("Cloudflare", "cloudflare", "cloudflare.com", "cloudflare.net", "cloudflare-dns.com", "cloudflareinsights.com",
		"cloudflarestream.com", "cloudflare-ipfs.com", "cloudflarestatus.com", "workers.dev", "pages.dev", "one.one"),
	b("Intuit", "intuit quickbooks turbotax", "intuit.com", "quickbooks.com", "turbotax.com", "mint.com", "creditkarma.com",
		"intuitcdn.net"),
	b("Shopify", "shopify myshopify", "shopify.com", "shopifyapps.com", "myshopify.com", "shopifycdn.com", "shopifysvc.com", "shopifycloud.com", "shop.app"),
	b("Steam", "steampowered steamcommunity", "steampowered.com", "steamcommunity.com", "steamstatic.com",
		"steamcontent.com", "steamgames.com", "steamusercontent.com", "steamserver.net", "valvesoftware.com", "steam-chat.com"),
	b("Roblox", "roblox", "roblox.com", "rbxcdn.com", "roblox.qq.com", "rbx.com"),
	b("Epic Games", "epicgames fortnite", "epicgames.com", "epicgames.dev", "unrealengine.com", "fortnite.com", "epicgames.net"),
	b("Discord", "discord discordapp", "discord.com", "discord.gg", "discordapp.com", "discordapp.net", "discord.media",
		"discordcdn.com", "discord.new", "discord.gift", "discordstatus.com", "dis.gd"),
	b("Spotify", "spotify", "spotify.com", "scdn.co", "spotifycdn.com", "spotify.net", "spotifycdn.net", "spoti.fi"),
	b("Netflix", "netflix", "netflix.com", "netflix.net", "nflxvideo.net", "nflximg.net", "nflxext.com", "nflxso.net",
		"nflximg.com", "netflixdnstest1.com", "fast.com"),
	b("Disney+", "disneyplus", "disneyplus.com", "disney.com", "disney-plus.net", "bamgrid.com", "dssott.com", "go.com",
		"disneystreaming.com", "disney.io"),
	b("Oracle", "oracle", "oracle.com", "oraclecloud.com", "oracleinfinity.io", "java.com", "java.net"),

	// Social and messaging.
	b("Facebook", "facebook messenger", "facebook.com", "fb.com", "fbcdn.net", "facebook.net", "fb.me", "fbsbx.com",
		"messenger.com", "facebook.de", "facebookmail.com", "meta.com", "fb.gg", "fburl.com", "facebookcorewwwi.onion",
		"fbcdn.com", "fbpigeon.com", "facebookblueprint.com", "facebookrecruiting.com", "meta.ai", "metacdn.net"),
	b("Instagram", "instagram", "instagram.com", "cdninstagram.com", "ig.me", "instagr.am", "threads.net"),
	b("WhatsApp", "whatsapp", "whatsapp.com", "whatsapp.net", "wa.me", "whatsapp.biz"),
	b("Twitter", "twitter", "twitter.com", "x.com", "twimg.com", "t.co", "twttr.com", "twitter.co", "twitpic.com", "periscope.tv", "pscp.tv"),
	b("LinkedIn", "linkedin", "linkedin.com", "licdn.com", "lnkd.in", "linkedin.cn"),
	b("TikTok", "tiktok", "tiktok.com", "tiktokcdn.com", "tiktokv.com", "byteoversea.com", "ibytedtos.com",
		"tiktokcdn-us.com", "tiktokv.us", "tiktokv.eu", "tiktokcdn-eu.net", "tiktokw.eu", "tiktokw.us", "ttwstatic.com", "musical.ly", "byteimg.com", "tiktokcdn-eu.com"),
	b("Snapchat", "snapchat", "snapchat.com", "snap.com", "sc-cdn.net", "snapkit.com", "sc-static.net", "snapads.com", "feelinsonice.appspot.com"),
	b("Pinterest", "pinterest", "pinterest.com", "pinterest.net", "pinimg.com", "pinterest.co.uk", "pinterest.de", "pinterest.fr", "pin.it"),
	b("Reddit", "reddit", "reddit.com", "redd.it", "redditmedia.com", "redditstatic.com", "reddituploads.com"),
	b("Telegram", "telegram", "telegram.org", "t.me", "telegram.me", "telesco.pe", "tdesktop.com"),
	b("WeChat", "wechat weixin", "wechat.com", "weixin.qq.com", "qq.com", "wechatpay.com"),
	b("Twitch", "twitch", "twitch.tv", "twitchcdn.net", "jtvnw.net", "ttvnw.net", "twitchsvc.net", "twitchapps.com"),
	b("Tumblr", "tumblr", "tumblr.com"),
	b("Signal", "signalapp", "signal.org"),
	b("Tinder", "tinder", "tinder.com", "gotinder.com"),

	// Shopping, travel and marketplaces.
	b("eBay", "ebay", join(cc("ebay", "com co.uk de fr it es ca com.au at ch nl be ie pl in com.hk com.sg ph com.my"),
		[]string{"ebayimg.com", "ebaystatic.com", "ebayinc.com", "ebayrtm.com", "ebaydesc.com", "ebay-us.com", "ebaycdn.net"})...),
	b("Walmart", "walmart", "walmart.com", "walmartimages.com", "walmart.ca", "walmart.com.mx", "walmartonline.com.ar", "wal.co", "walmartlabs.com", "samsclub.com"),
	b("Target", "targetcorp", "target.com", "targetimg1.com", "target.com.au", "targetcdn.com"),
	b("Best Buy", "bestbuy", "bestbuy.com", "bestbuy.ca", "bbystatic.com"),
	b("Costco", "costco", "costco.com", "costco.ca", "costco.co.uk", "costco.com.mx", "costco-static.com"),
	b("Alibaba", "alibaba aliexpress alicdn", "alibaba.com", "aliexpress.com", "aliexpress.us", "alicdn.com",
		"alibabacloud.com", "aliyun.com", "alibaba-inc.com", "taobao.com", "tmall.com", "aliyuncs.com", "alimama.com", "alibabausercontent.com"),
	b("Etsy", "etsy", "etsy.com", "etsystatic.com", "etsy.me"),
	b("Home Depot", "homedepot", "homedepot.com", "homedepot.ca"),
	b("IKEA", "ikea", "ikea.com", "ikea.net", "ikea.cn"),
	b("Rakuten", "rakuten", "rakuten.com", "rakuten.co.jp", "rakuten.net", "rakuten.ne.jp", "rakuten-static.com"),
	b("Zalando", "zalando", "zalando.com", "zalando.de", "zalando.fr", "zalando.co.uk", "zalando.it", "zalando.nl", "ztat.net"),
	b("Temu", "temu", "temu.com", "kwcdn.com"),
	b("Shein", "shein", "shein.com", "shein.co.uk", "ltwebstatic.com", "sheingroup.com"),
	b("Wayfair", "wayfair", "wayfair.com", "wayfair.co.uk", "wayfair.ca", "wfcdn.com"),
	b("Booking.com", "bookingcom", "booking.com", "bstatic.com", "booking.cn", "priceline.com"),
	b("Airbnb", "airbnb", join(cc("airbnb", "com co.uk de fr it es ca com.au nl"), []string{"muscache.com", "airbnb.co.in", "airbnbmail.com"})...),
	b("Expedia", "expedia", "expedia.com", "expedia.co.uk", "expedia.de", "expedia.ca", "expedia.com.au", "expediamail.com", "travel-assets.com", "hotels.com", "vrbo.com"),
	b("Mercado Libre", "mercadolibre mercadolivre", "mercadolibre.com", "mercadolivre.com.br", "mercadolivre.com", "mercadolibre.com.ar",
		"mercadolibre.com.mx", "mlstatic.com", "mercadolibre.cl", "mercadolibre.com.co"),
	b("Flipkart", "flipkart", "flipkart.com", "flixcart.com", "flipkart.net"),
	b("Nike", "nike", "nike.com", "nike.net", "nikecdn.com"),
	b("Macy's", "macys", "macys.com", "macysassets.com"),

	// Delivery and postal services.
	b("DHL", "dhl", "dhl.com", "dhl.de", "dhl.co.uk", "dhl.fr", "dhl.nl", "dhlparcel.nl", "dhl.it", "dhl.es", "dpdhl.com"),
	b("FedEx", "fedex", "fedex.com", "fedex.ca"),
	b("UPS", "ups", "ups.com"),
	b("USPS", "usps", "usps.com", "usps.gov"),
	b("Royal Mail", "royalmail", "royalmail.com", "royalmail.co.uk", "royalmailgroup.com"),
	b("Canada Post", "canadapost", "canadapost.ca", "canadapost-postescanada.ca", "postescanada.ca"),
	b("Australia Post", "auspost", "auspost.com.au"),
	b("La Poste", "laposte", "laposte.fr", "laposte.net", "lapostegroupe.com", "colissimo.fr"),
	b("Deutsche Post", "deutschepost", "deutschepost.de", "deutschepost.com"),
	b("PostNL", "postnl", "postnl.nl", "postnl.com"),
	b("Evri", "evri myhermes", "evri.com", "myhermes.co.uk"),
	b("DPD", "dpdgroup", "dpd.com", "dpd.co.uk", "dpd.de", "dpdgroup.com"),

	// Government and tax, widely used as lures.
	b("IRS", "irsgov", "irs.gov"),
	b("HMRC", "hmrc", "gov.uk", "hmrc.gov.uk"),
}
