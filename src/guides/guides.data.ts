import type { Guide, PageStep, Step, Variable } from './guide.model.ts';

// The guides, in the order the index lists them. Spanish first, English beside.

const BASE: Variable = {
  name: 'BASE', value: '{{BASE}}',
  text: { es: 'La dirección de este sandbox (en su máquina, http://localhost:8080).', en: 'This sandbox’s address (on your machine, http://localhost:8080).' },
};
const KEYS: Variable[] = [
  { name: 'CLIENT_ID', value: '', placeholder: { es: 'su-client-id', en: 'your-client-id' }, text: { es: 'El client id de su aplicación («Aplicaciones oAuth»; `npm start` imprime el de la demo).', en: 'Your app’s client id (“Aplicaciones oAuth”; `npm start` prints the demo’s).' } },
  { name: 'CLIENT_SECRET', value: '', placeholder: { es: 'su-client-secret', en: 'your-client-secret' }, text: { es: 'Su client secret, del mismo lugar.', en: 'Your client secret, from the same place.' } },
];
const SANDBOX: Variable[] = [
  { name: 'SANDBOX_PATH', value: 'bc38875a09308a2', text: { es: 'La ruta secreta de los ayudantes del sandbox: el servidor la imprime al arrancar (un sandbox local usa la publicada, la de aquí).', en: 'The secret path of the sandbox helpers: the server prints it at start (a local sandbox uses the published one, this one).' } },
  { name: 'AUTORIZE_TOKEN', value: '83a2a1f9105f810757355a843e5579d8', text: { es: 'El token de autorize.json, impreso con la ruta (el publicado en un sandbox local).', en: 'The autorize.json token, printed with the path (the published one on a local sandbox).' } },
];

const token: Step = {
  text: {
    es: 'Pida un token de acceso con las llaves de su aplicación (grant `urn:client_apps`). Dura una hora.',
    en: 'Ask for an access token with your app’s keys (grant `urn:client_apps`). It lasts one hour.',
  },
  curl: 'curl -s -X POST "{{BASE}}/oauth/v2/token" -d grant_type=urn:client_apps -d "client_id={{CLIENT_ID}}" -d "client_secret={{CLIENT_SECRET}}"',
  status: 200,
  answer: { access_token: '{{TOKEN}}', expires_in: 3600, token_type: 'bearer', scope: 'API', refresh_token: '{{REFRESH_TOKEN}}' },
};

const createSale: Step = {
  text: {
    es: 'Cree una venta de Bs. 20,00 (`intent=sale`, el botón de pago). La respuesta trae su id y el enlace a la página donde el cliente la autoriza.',
    en: 'Create a sale of Bs. 20.00 (`intent=sale`, the payment button). The answer holds its id and the link to the page where the customer authorizes it.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/.json" -H "Authorization: Bearer {{TOKEN}}"'
    + ' -d "paymentintent[intent]=sale"'
    + ' -d "paymentintent[redirectUrls][returnUrl]=https://tienda.example/ok"'
    + ' -d "paymentintent[redirectUrls][cancelUrl]=https://tienda.example/ko"'
    + ' -d "paymentintent[transactions][0][amount][total]=20.00"'
    + ' -d "paymentintent[transactions][0][description]=Pedido 1"',
  status: 200,
  answer: {
    id: '{{INTENT_ID}}', intent: 'sale', state: 'created', total: { amount: 20 },
    _links: { approval_url: { href: '{{APPROVAL_URL}}', method: 'GET' } },
  },
};

const approve: Step = {
  text: {
    es: 'En el sandbox, un comprador de prueba la autoriza por usted: es lo que haría un cliente al pulsar «Autorizar». La respuesta dice quién pagará.',
    en: 'In the sandbox a test buyer authorizes it for you: what a customer does by pressing “Autorizar”. The answer says who will pay.',
  },
  curl: 'curl -s "{{BASE}}/{{SANDBOX_PATH}}/payment-intent/autorize.json?access_token={{AUTORIZE_TOKEN}}&id={{INTENT_ID}}"',
  status: 200,
  answer: { id: '{{INTENT_ID}}', state: 'authorized', payer: { payer_info: { id: '{{PAYER_ID}}' } } },
};

const execute: Step = {
  text: {
    es: 'Ejecute la venta: el dinero pasa del comprador a su cuenta en un solo asiento contable. Un 200 significa que ya está guardado.',
    en: 'Execute the sale: the money moves from the buyer to your account in one ledger entry. A 200 means it is already stored.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/execute/sale.json?id={{INTENT_ID}}" -H "Authorization: Bearer {{TOKEN}}"'
    + ' -d "payment_execution[paymentIntent]={{INTENT_ID}}" -d "payment_execution[payer]={{PAYER_ID}}"',
  status: 200,
  answer: {
    id: '{{INTENT_ID}}', state: 'executed',
    transactions: [{ related_resources: { sale: { id: '{{PAYMENT_ID}}', ref: '{{PAYMENT_REF}}', _data: { summary_1: 'Recibido: 20,00 VES', status: 'Completado' } } } }],
  },
};

const show: Step = {
  text: {
    es: 'Consulte la venta cuando quiera: su estado y el pago que la cobró.',
    en: 'Look the sale up whenever you like: its state and the payment that collected it.',
  },
  curl: 'curl -s "{{BASE}}/api/payment-intent/show.json?id={{INTENT_ID}}" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: { id: '{{INTENT_ID}}', intent: 'sale', state: 'executed', transactions: [{ related_resources: { sale: { id: '{{PAYMENT_ID}}' } } }] },
};


const PAYER: Variable[] = [
  { name: 'PAYER', value: 'maria', text: { es: 'Un cliente del sandbox a quien cobrar (`npm start` crea `maria`, con saldo de prueba).', en: 'A sandbox customer to bill (`npm start` makes `maria`, with test money).' } },
  { name: 'PAYER_PIN', value: '1234', text: { es: 'El PIN de operaciones de ese cliente (el de `maria` es 1234).', en: 'That customer’s operations PIN (`maria`’s is 1234).' } },
];

const buttonCreate: Step = {
  ...createSale,
  text: {
    es: 'Cree la venta con las dos direcciones de su tienda: `returnUrl`, a donde vuelve el cliente tras autorizar, y `cancelUrl`, si se arrepiente. Lleve al cliente a `_links.approval_url`.',
    en: 'Create the sale with your shop’s two addresses: `returnUrl`, where the customer comes back after authorizing, and `cancelUrl`, if they change their mind. Send the customer to `_links.approval_url`.',
  },
  answer: {
    id: '{{INTENT_ID}}', intent: 'sale', state: 'created',
    redirect_urls: { return_url: 'https://tienda.example/ok', cancel_url: 'https://tienda.example/ko' },
    _links: { approval_url: { href: '{{APPROVAL_URL}}', method: 'GET' } },
  },
};

const buttonCreated: Step = {
  text: {
    es: 'Mientras el cliente no autorice, la venta sigue `created`.',
    en: 'Until the customer authorizes, the sale stays `created`.',
  },
  curl: show.curl,
  status: 200,
  answer: { id: '{{INTENT_ID}}', state: 'created' },
};

const buttonApprove: Step = {
  ...approve,
  text: {
    es: 'En la página de aprobación el cliente entra con su cuenta y pulsa «Autorizar»; su navegador vuelve a `https://tienda.example/ok?paymentIntent=<INTENT_ID>&payerId=<PAYER_ID>` (o a `cancelUrl` con `paymentIntent` si cancela). En el sandbox, el comprador de prueba hace ese paso por usted:',
    en: 'On the approval page the customer signs in and presses “Autorizar”; their browser comes back to `https://tienda.example/ok?paymentIntent=<INTENT_ID>&payerId=<PAYER_ID>` (or to `cancelUrl` with `paymentIntent` if they cancel). In the sandbox the test buyer does that step for you:',
  },
};

const buttonAuthorized: Step = {
  text: {
    es: 'Al recibir la vuelta, la venta está `authorized` y su `payer` es el `payerId` de la dirección. Todavía no se ha movido dinero.',
    en: 'When the customer comes back the sale is `authorized` and its `payer` is the `payerId` of the address. No money has moved yet.',
  },
  curl: show.curl,
  status: 200,
  answer: { id: '{{INTENT_ID}}', state: 'authorized', payer: { payer_info: { id: '{{PAYER_ID}}' } } },
};

const buttonExecute: Step = {
  ...execute,
  text: {
    es: 'Ejecute con el `paymentIntent` y el `payerId` que trajo la vuelta. Solo entonces se cobra; hágalo antes de que la venta venza (3 días por omisión).',
    en: 'Execute with the `paymentIntent` and `payerId` the return brought. Only then is the money taken; do it before the sale expires (3 days by default).',
  },
};

const requestCreate: Step = {
  text: {
    es: 'Cree una solicitud de cobro (`intent=request`) dirigida a su cliente (`recipient`, su usuario). La respuesta trae en `pay_tokens` la cuenta con la que pagará.',
    en: 'Create a billing request (`intent=request`) addressed to your customer (`recipient`, their username). The answer holds in `pay_tokens` the account they will pay with.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/.json" -H "Authorization: Bearer {{TOKEN}}"'
    + ' -d "paymentintent[intent]=request"'
    + ' -d "paymentintent[recipient]={{PAYER}}"'
    + ' -d "paymentintent[redirectUrls][returnUrl]=https://tienda.example/pagado"'
    + ' -d "paymentintent[redirectUrls][cancelUrl]=https://tienda.example/rechazado"'
    + ' -d "paymentintent[transactions][0][amount][total]=15.00"'
    + ' -d "paymentintent[transactions][0][description]=Factura 77"',
  status: 200,
  answer: {
    id: '{{INTENT_ID}}', intent: 'request', state: 'created',
    payer: { payer_info: { id: '{{PAYER_ID}}' } },
    pay_tokens: [{ id: '{{PAY_TOKEN}}' }],
    transactions: [{ id: '{{TRANSACTION_ID}}', pay_tokens: [{ id: '{{PAY_TOKEN}}' }] }],
  },
};

const requestExecute: Step = {
  text: {
    es: 'En caja: el cliente teclea su PIN en su terminal y usted cobra con el token de pago y ese PIN. El dinero se mueve en ese instante.',
    en: 'At the cashier: the customer types their PIN on your terminal and you collect with the pay token and that PIN. The money moves at that moment.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/execute/request.json?id={{INTENT_ID}}" -H "Authorization: Bearer {{TOKEN}}"'
    + ' -d "payment_execution[payToken]={{PAY_TOKEN}}" -d "payment_execution[pin]={{PAYER_PIN}}"',
  status: 200,
  answer: {
    id: '{{INTENT_ID}}', intent: 'request', state: 'executed',
    transactions: [{ related_resources: { request: { id: '{{PAYMENT_ID}}', ref: '{{PAYMENT_REF}}' } } }],
  },
};

const requestWallet: Step = {
  text: {
    es: 'La otra forma de cobrar: cree otra solicitud y no la ejecute. El cliente la ve en su billetera («Solicitudes pendientes») y la paga con su PIN, o la rechaza.',
    en: 'The other way to collect: create another request and do not execute it. The customer sees it in their wallet (“Solicitudes pendientes”) and pays it with their PIN, or declines it.',
  },
  curl: requestCreate.curl.replace('Factura 77', 'Factura 78'),
  status: 200,
  answer: { id: '{{WALLET_INTENT_ID}}', intent: 'request', state: 'created' },
};

const requestShow: Step = {
  text: {
    es: 'Hasta que el cliente actúe sigue `created`. Cuando paga, su plataforma recibe una llamada firmada (ver abajo) y la solicitud pasa a `executed`; si la rechaza, `rejected`.',
    en: 'Until the customer acts it stays `created`. When they pay, your platform receives a signed call (see below) and the request becomes `executed`; if they decline, `rejected`.',
  },
  curl: 'curl -s "{{BASE}}/api/payment-intent/show.json?id={{WALLET_INTENT_ID}}" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: { id: '{{WALLET_INTENT_ID}}', intent: 'request', state: 'created' },
};

const BUTTON: Guide = {
  slug: { es: 'boton-de-pago', en: 'payment-button' },
  title: { es: 'El botón de pago', en: 'The payment button' },
  intro: [
    {
      es: 'El cliente paga en una página de mPandco: usted crea la venta, lo envía a la página de aprobación, él autoriza y vuelve a su tienda con `paymentIntent` y `payerId`, y usted ejecuta. Es el flujo del SDK de PHP y del plugin de WooCommerce.',
      en: 'The customer pays on an mPandco page: you create the sale, send them to the approval page, they authorize and come back to your shop with `paymentIntent` and `payerId`, and you execute. It is the flow of the PHP SDK and the WooCommerce plugin.',
    },
  ],
  variables: [BASE, ...KEYS, ...SANDBOX],
  steps: [token, buttonCreate, buttonCreated, buttonApprove, buttonAuthorized, buttonExecute],
  outro: [
    {
      es: 'Si el cliente cancela, vuelve a `cancelUrl?paymentIntent=<INTENT_ID>` y la venta queda `canceled`. Una venta que nadie autoriza ni ejecuta vence sola.',
      en: 'If the customer cancels, they come back to `cancelUrl?paymentIntent=<INTENT_ID>` and the sale becomes `canceled`. A sale nobody authorizes or executes expires by itself.',
    },
  ],
};

const BILLING: Guide = {
  slug: { es: 'cobros', en: 'billing' },
  title: { es: 'Solicitudes de cobro: en caja con PIN, o en la billetera', en: 'Billing requests: at the cashier with a PIN, or in the wallet' },
  intro: [
    {
      es: 'Una solicitud de cobro pide dinero a un cliente con cuenta mPandco. Se cobra de dos formas: en caja, con el token de pago de cada transacción y el PIN del cliente; o el cliente la paga en su billetera y su plataforma recibe una llamada firmada.',
      en: 'A billing request asks a customer with an mPandco account for money. It is collected in two ways: at the cashier, with each transaction’s pay token and the customer’s PIN; or the customer pays it in their wallet and your platform receives a signed call.',
    },
    {
      es: 'Las aplicaciones del sandbox tienen el API de cobros activo; en producción lo activa un operador a petición suya.',
      en: 'Sandbox apps have the billing API on; in production an operator turns it on at your request.',
    },
  ],
  variables: [BASE, ...KEYS, ...PAYER],
  steps: [token, requestCreate, requestExecute, requestWallet, requestShow],
  outro: [
    {
      es: 'Al pagarse una solicitud (en caja o en la billetera), la plataforma llama `GET <returnUrl>?paymentIntent=<id>&payerId=<id del pagador>`; si el cliente la rechaza, `GET <cancelUrl>?paymentIntent=<id>`. Cada llamada lleva `X-Mpandco-Signature: t=<segundos unix>,v1=<HMAC-SHA256 en hex de "<t>.<URL completa recibida>">`, con el secreto de firma de callbacks que muestra la página de su aplicación. Verifíquela, rechace una `t` de hace más de unos minutos y consulte la solicitud con `show.json` antes de entregar.',
      en: 'When a request is paid (at the cashier or in the wallet) the platform calls `GET <returnUrl>?paymentIntent=<id>&payerId=<payer id>`; if the customer declines it, `GET <cancelUrl>?paymentIntent=<id>`. Each call carries `X-Mpandco-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<full URL as received>">`, keyed with the callback signing secret your app’s page shows. Verify it, reject a `t` older than a few minutes and look the request up with `show.json` before you deliver.',
    },
  ],
};


const sdkApprove: Step = {
  text: {
    es: 'La prueba del SDK autoriza sus ventas con el ayudante del sandbox y la ruta y el token que el SDK publica (`RouteSandbox.php`). Un sandbox local (el de `npm start`) responde esos mismos secretos; así se ve esa llamada:',
    en: 'The SDK’s test authorizes its sales with the sandbox helper, using the path and token the SDK publishes (`RouteSandbox.php`). A local sandbox (the one `npm start` runs) answers those same secrets; this is that call:',
  },
  curl: 'curl -s "{{BASE}}/bc38875a09308a2/payment-intent/autorize.json?access_token=83a2a1f9105f810757355a843e5579d8&id={{INTENT_ID}}"',
  status: 200,
  answer: approve.answer,
};

const SDK: Guide = {
  slug: { es: 'sdk-php-y-woocommerce', en: 'php-sdk-and-woocommerce' },
  title: { es: 'El SDK de PHP y el plugin de WooCommerce', en: 'The PHP SDK and the WooCommerce plugin' },
  intro: [
    {
      es: 'El SDK de PHP (`jeac-corp/mpandco-php-sdk`) y el plugin de WooCommerce hablan este mismo API. Para usarlos con esta plataforma solo cambian la dirección base y las llaves.',
      en: 'The PHP SDK (`jeac-corp/mpandco-php-sdk`) and the WooCommerce plugin speak this same API. To use them with this platform only the base address and the keys change.',
    },
    {
      es: 'SDK de PHP: en su configuración (el arreglo de opciones o el `parameters.ini` al que apunta `PP_CONFIG_PATH`) ponga `clientId` y `clientSecret` de su aplicación, `mode = sandbox` y `oauth.base_uri` con la dirección de este sandbox y una barra final: `https://test.<su dominio>/`, o `http://localhost:8080/` en su máquina. En producción, `mode = live` y la dirección de producción.',
      en: 'PHP SDK: in its configuration (the options array or the `parameters.ini` that `PP_CONFIG_PATH` points to) set your app’s `clientId` and `clientSecret`, `mode = sandbox` and `oauth.base_uri` to this sandbox’s address with a final slash: `https://test.<your domain>/`, or `http://localhost:8080/` on your machine. In production, `mode = live` and the production address.',
    },
    {
      es: 'Plugin de WooCommerce: la dirección está escrita en el código del plugin, en las constantes `URL_SANDBOX_API` (`https://test.mpandco.com/`) y `URL_DEFAULT_API` (`https://app.mpandco.com/`); cámbielas por `https://test.<su dominio>/` y `https://<su dominio>/` (o `http://localhost:8080/`). En WooCommerce → Ajustes → Pagos → mPandco marque «mPandco sandbox» y llene «Client ID de su mPandco sandbox» y «Client Secret de su mPandco sandbox»; sin el modo sandbox, los campos de producción.',
      en: 'WooCommerce plugin: the address is written in the plugin’s code, in the constants `URL_SANDBOX_API` (`https://test.mpandco.com/`) and `URL_DEFAULT_API` (`https://app.mpandco.com/`); change them to `https://test.<your domain>/` and `https://<your domain>/` (or `http://localhost:8080/`). In WooCommerce → Settings → Payments → mPandco tick “mPandco sandbox” and fill in “Client ID de su mPandco sandbox” and “Client Secret de su mPandco sandbox”; without sandbox mode, the production fields.',
    },
    {
      es: 'Lo que el SDK y el plugin envían por usted, con `curl`, para comprobar que las llaves y la dirección funcionan:',
      en: 'What the SDK and the plugin send for you, with `curl`, to check that the keys and the address work:',
    },
  ],
  variables: [BASE, ...KEYS],
  steps: [token, createSale, sdkApprove, execute],
  outro: [
    {
      es: 'El plugin lleva al cliente a `_links.approval_url`, recibe la vuelta con `paymentIntent` y `payerId` en su URL de pedido y ejecuta la venta, como en la guía del botón de pago; la página del pedido muestra el resumen de `related_resources.sale._data`.',
      en: 'The plugin sends the customer to `_links.approval_url`, gets the return with `paymentIntent` and `payerId` on its order URL and executes the sale, as in the payment button guide; the order page shows the summary of `related_resources.sale._data`.',
    },
  ],
};

export const GUIDES: Guide[] = [
  {
    slug: { es: 'primer-pago', en: 'first-payment' },
    title: { es: 'Su primer pago en cinco minutos', en: 'Your first payment in five minutes' },
    intro: [
      {
        es: 'Con `curl` y las llaves de una aplicación del sandbox: pida un token, cree una venta, hágala autorizar por el comprador de prueba del sandbox, ejecútela y consúltela.',
        en: 'With `curl` and the keys of a sandbox app: get a token, create a sale, have the sandbox’s test buyer authorize it, execute it and look it up.',
      },
      {
        es: 'Defina primero estas variables en su terminal; cada respuesta le da las siguientes (`TOKEN`, `INTENT_ID`, `PAYER_ID`).',
        en: 'Set these variables in your terminal first; each answer gives you the next ones (`TOKEN`, `INTENT_ID`, `PAYER_ID`).',
      },
    ],
    variables: [BASE, ...KEYS, ...SANDBOX],
    steps: [token, createSale, approve, execute, show],
  },
  BUTTON,
  BILLING,
];

const annul: Step = {
  text: {
    es: 'Anule la venta: el dinero vuelve al comprador en un asiento contrario y la venta queda `annulled`. Solo se puede en las 24 horas siguientes a la ejecución.',
    en: 'Annul the sale: the money goes back to the buyer in a reversing entry and the sale becomes `annulled`. Only within 24 hours of the execution.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/cancel.json" -H "Authorization: Bearer {{TOKEN}}" -d "cancel_payment_intent[paymentIntent]={{INTENT_ID}}"',
  status: 200,
  answer: { id: '{{INTENT_ID}}', state: 'annulled' },
};

const annulAgain: Step = {
  text: {
    es: 'Una segunda anulación no mueve nada: es un 400 con un error global que dice por qué. Lo mismo pasado el plazo de 24 horas, o con una venta sin ejecutar.',
    en: 'A second annulment moves nothing: a 400 with a global error saying why. The same past the 24-hour window, or for a sale not yet executed.',
  },
  curl: annul.curl,
  status: 400,
  answer: { code: 400, message: 'Validation Failed', errors: { errors: ['Este pago fue anulado.'], children: { paymentIntent: {} } } },
};

const noToken: Step = {
  text: {
    es: 'Sin cabecera `Authorization`, o con un esquema que no es `Bearer` (ni `token`): 401. Su código no envió credenciales.',
    en: 'Without an `Authorization` header, or with a scheme other than `Bearer` (or `token`): 401. Your code sent no credentials.',
  },
  curl: 'curl -s "{{BASE}}/api/payment-intent/.json"',
  status: 401,
  answer: { error: 'invalid_grant', error_description: 'Se requiere un token de acceso (Authorization: Bearer).' },
};

const badToken: Step = {
  text: {
    es: 'Con un token que no existe, venció (una hora) o fue revocado: 403. Pida otro token y repita la llamada.',
    en: 'With a token that does not exist, expired (one hour) or was revoked: 403. Get a new token and repeat the call.',
  },
  curl: 'curl -s "{{BASE}}/api/payment-intent/.json" -H "Authorization: Bearer no-existe"',
  status: 403,
  answer: { code: 403, message: 'El token de acceso no es válido.' },
};

const badForm: Step = {
  text: {
    es: 'Un formulario con errores es un 400 con el árbol del formulario: `errors.errors` son los errores globales y cada campo está en `errors.children`, con sus propios `errors`; las listas (transacciones, ítems) son listas de `children`. Un campo sin error aparece vacío (`{}`).',
    en: 'A form with errors is a 400 holding the form’s tree: `errors.errors` are the global errors and each field sits in `errors.children`, with its own `errors`; lists (transactions, items) are lists of `children`. A field without error shows empty (`{}`).',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/.json" -H "Authorization: Bearer {{TOKEN}}" -d "paymentintent[intent]=sale" -d "paymentintent[transactions][0][amount][total]=-5"',
  status: 400,
  answer: {
    code: 400, message: 'Validation Failed',
    errors: {
      children: {
        redirectUrls: { children: { returnUrl: { errors: ['La URI de retorno es obligatoria.'] }, cancelUrl: { errors: ['La URI de cancelación es obligatoria.'] } } },
        transactions: { children: [{ children: { amount: { children: { total: { errors: ['El monto debe ser mayor que cero.'] } } }, description: { errors: ['La descripción es obligatoria.'] } } }] },
      },
    },
  },
};

const idempotent: Step = {
  text: {
    es: 'Envíe una cabecera `Idempotency-Key` (única por operación, p. ej. el número de pedido) en cada POST que cree o mueva dinero: si la red falla, repita la misma llamada con la misma clave.',
    en: 'Send an `Idempotency-Key` header (unique per operation, e.g. the order number) on every POST that creates or moves money: if the network fails, repeat the same call with the same key.',
  },
  curl: createSale.curl.replace('-H "Authorization: Bearer {{TOKEN}}"', '-H "Authorization: Bearer {{TOKEN}}" -H "Idempotency-Key: pedido-1"'),
  status: 200,
  answer: { id: '{{INTENT_ID}}', intent: 'sale', state: 'created' },
};

const idempotentAgain: Step = {
  text: {
    es: 'La repetición no crea una segunda venta: devuelve la primera respuesta, con el mismo id. Si la primera llamada aún está en curso, la repetición recibe 409 con `Retry-After`.',
    en: 'The repetition makes no second sale: it returns the first answer, with the same id. If the first call is still running, the repetition gets 409 with `Retry-After`.',
  },
  curl: idempotent.curl,
  status: 200,
  answer: { id: '{{INTENT_ID}}', intent: 'sale', state: 'created' },
};

const missingPayer: Step = {
  text: {
    es: 'Primero se revisan los campos: ejecutar sin decir quién paga es un error en `children.payer`. Con el pagador, una venta que el cliente aún no autorizó es un error global: «El cliente aún no ha autorizado este pago.»',
    en: 'Fields are checked first: executing without saying who pays is an error in `children.payer`. With the payer, a sale the customer has not yet authorized is a global error: “El cliente aún no ha autorizado este pago.”',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/payment-intent/execute/sale.json?id={{INTENT_ID}}" -H "Authorization: Bearer {{TOKEN}}" -d "payment_execution[paymentIntent]={{INTENT_ID}}"',
  status: 400,
  answer: { code: 400, message: 'Validation Failed', errors: { children: { paymentIntent: {}, payer: { errors: ['Indique el pagador.'] } } } },
};

// Mass payouts: a DISPERSION batch registered, reviewed and submitted; an instant batch whose
// one item goes to the sandbox's rejected bank account.

const payoutFund: Step = {
  ...execute,
  text: {
    es: 'Ejecute la venta: su cuenta recibe los Bs. 20,00 con los que pagará los lotes de esta guía.',
    en: 'Execute the sale: your account receives the Bs. 20.00 that will pay for this guide’s batches.',
  },
};

function registerItemCurl(type: string, key: string | null, fields: Record<string, string>): string {
  return `curl -s -X POST "{{BASE}}/api/multipayment/register-item.json?type=${type}" -H "Authorization: Bearer {{TOKEN}}"`
    + (key ? ` -H "Idempotency-Key: ${key}"` : '')
    + Object.entries(fields).map(([k, v]) => ` -d "multi_payment_item[${k}]=${v}"`).join('');
}

const payoutItem1: Step = {
  text: {
    es: 'Registre el primer ítem en un lote `DISPERSION`: quién recibe (`nameAccount`, `identificationNumber`), su cuenta bancaria de 20 dígitos (los cuatro primeros dicen el banco), el monto y su propia referencia. Se agrega al lote de ese tipo «pendiente por cargar» (`PENDING_LOAD`), que se abre solo si no hay uno. Con una `Idempotency-Key` por ítem, repetir la llamada tras un fallo de red no lo registra dos veces.',
    en: 'Register the first item in a `DISPERSION` batch: who receives (`nameAccount`, `identificationNumber`), their 20-digit bank account (the first four digits name the bank), the amount and your own reference. It joins the batch of that type “pending to load” (`PENDING_LOAD`), opened when there is none. With one `Idempotency-Key` per item, repeating the call after a network failure does not register it twice.',
  },
  curl: registerItemCurl('DISPERSION', 'nomina-0001', {
    reference: '0001', nameAccount: 'Ana Rodriguez', identificationNumber: 'V12345678', bankAccount: '01340123456789012345', amount: '5.00',
  }),
  status: 200,
  answer: { ref: '{{ITEM_REF}}', identification_number: 'V12345678', status: 'APPROVED' },
};

const payoutItem2: Step = {
  text: {
    es: 'El segundo ítem va al mismo lote, esta vez a una cuenta de Mercantil (`0105`).',
    en: 'The second item joins the same batch, this time to a Mercantil account (`0105`).',
  },
  curl: registerItemCurl('DISPERSION', 'nomina-0002', {
    reference: '0002', nameAccount: 'Luis Perez', identificationNumber: 'V23456789', bankAccount: '01050123456789012345', amount: '2.50',
  }),
  status: 200,
  answer: { identification_number: 'V23456789', status: 'APPROVED' },
};

const payoutNoBank: Step = {
  text: {
    es: 'Una cuenta cuyos cuatro primeros dígitos no son de ningún banco venezolano se rechaza al registrarla (400, error global), y no entra al lote.',
    en: 'An account whose first four digits name no Venezuelan bank is refused at registration (400, global error) and does not join the batch.',
  },
  curl: registerItemCurl('DISPERSION', null, {
    reference: '0009', nameAccount: 'Sin Banco', identificationNumber: 'V34567891', bankAccount: '99990123456789012345', amount: '1.00',
  }),
  status: 400,
  answer: { code: 400, message: 'Validation Failed', errors: { errors: ['No se ha encontrado un banco para el numero de cuenta ingresado'] } },
};

const payoutList: Step = {
  text: {
    es: 'Liste sus lotes, el más reciente primero: el pendiente muestra cuántos ítems lleva, su total, las comisiones (Bs. 1,50 por ítem en `DISPERSION`) y lo que se debitará al enviarlo.',
    en: 'List your batches, newest first: the pending one shows how many items it holds, its total, the fees (Bs. 1.50 per item for `DISPERSION`) and what submitting it will debit.',
  },
  curl: 'curl -s "{{BASE}}/api/multipayment/.json" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: {
    data: [{
      id: '{{BATCH_ID}}', type: 'DISPERSION', status: 'PENDING_LOAD', item_count: 2,
      amount_total: '7.50', fee_total: '3.00', debit_total: '10.50', submitted_at: null,
    }],
  },
};

const payoutShow: Step = {
  text: {
    es: 'Revise el lote con sus ítems antes de enviarlo (`id` acepta también la referencia `MP…` del lote). Cada ítem dice su banco.',
    en: 'Review the batch with its items before submitting it (`id` also takes the batch’s `MP…` reference). Each item names its bank.',
  },
  curl: 'curl -s "{{BASE}}/api/multipayment/show.json?id={{BATCH_ID}}" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: {
    id: '{{BATCH_ID}}', status: 'PENDING_LOAD',
    items: [
      { ref: '{{ITEM_REF}}', reference: '0001', name_account: 'Ana Rodriguez', bank: 'Banesco', amount: '5.00', status: 'APPROVED' },
      { reference: '0002', name_account: 'Luis Perez', bank: 'Mercantil', amount: '2.50', status: 'APPROVED' },
    ],
  },
};

const payoutSubmit: Step = {
  text: {
    es: 'Envíe el lote: un solo asiento debita de la cuenta receptora de su aplicación el total más las comisiones (Bs. 10,50). Un lote `DISPERSION` queda `PROCESSING`: los bancos lo liquidan 24 horas después.',
    en: 'Submit the batch: one ledger entry debits your app’s receiving account for the total plus the fees (Bs. 10.50). A `DISPERSION` batch becomes `PROCESSING`: the banks settle it 24 hours later.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/multipayment/submit.json?id={{BATCH_ID}}" -H "Authorization: Bearer {{TOKEN}}" -H "Idempotency-Key: nomina-envio-1"',
  status: 200,
  answer: {
    id: '{{BATCH_ID}}', type: 'DISPERSION', status: 'PROCESSING', debit_total: '10.50',
    items: [{ reference: '0001', status: 'PROCESSING' }, { reference: '0002', status: 'PROCESSING' }],
  },
};

const payoutProcessing: Step = {
  text: {
    es: 'Hasta la liquidación el lote sigue `PROCESSING`; después, `SETTLED`, y sus ítems también. En el sandbox no espere 24 horas: adelante el reloj de prueba de su cuenta (ver abajo) y vuelva a consultarlo.',
    en: 'Until settlement the batch stays `PROCESSING`; then it is `SETTLED`, and so are its items. In the sandbox do not wait 24 hours: move your account’s test clock ahead (see below) and look it up again.',
  },
  curl: payoutShow.curl,
  status: 200,
  answer: { id: '{{BATCH_ID}}', status: 'PROCESSING', items: [{ reference: '0001', status: 'PROCESSING' }, { reference: '0002', status: 'PROCESSING' }] },
};

const payoutRejectedItem: Step = {
  text: {
    es: 'Un lote `DISPERSION_INSTANT_INTERBANK` se liquida al enviarlo (Bs. 5,00 de comisión por ítem). Registre en uno un ítem a la cuenta bancaria mágica del sandbox `01029999999999999999`: el registro lo acepta, pero el banco lo rechazará al liquidar.',
    en: 'A `DISPERSION_INSTANT_INTERBANK` batch settles when submitted (Bs. 5.00 fee per item). Register in one an item to the sandbox’s magic bank account `01029999999999999999`: registration accepts it, but the bank will reject it at settlement.',
  },
  curl: registerItemCurl('DISPERSION_INSTANT_INTERBANK', 'nomina-0003', {
    reference: '0003', nameAccount: 'Cuenta Rechazada', identificationNumber: 'V34567890', bankAccount: '01029999999999999999', amount: '1.00',
  }),
  status: 200,
  answer: { identification_number: 'V34567890', status: 'APPROVED' },
};

const payoutListBoth: Step = {
  text: {
    es: 'La lista trae ahora el lote instantáneo, pendiente, sobre el anterior, que sigue en proceso.',
    en: 'The list now holds the instant batch, pending, above the earlier one, still processing.',
  },
  curl: payoutList.curl,
  status: 200,
  answer: {
    data: [
      { id: '{{INSTANT_BATCH_ID}}', type: 'DISPERSION_INSTANT_INTERBANK', status: 'PENDING_LOAD', item_count: 1, amount_total: '1.00', fee_total: '5.00', debit_total: '6.00' },
      { id: '{{BATCH_ID}}', type: 'DISPERSION', status: 'PROCESSING' },
    ],
  },
};

const payoutSubmitInstant: Step = {
  text: {
    es: 'Envíelo: el lote queda `SETTLED` en el acto y el ítem `REJECTED`. Su monto (Bs. 1,00) vuelve a su cuenta en un asiento propio; la comisión queda cobrada, como cobra un banco una transferencia devuelta.',
    en: 'Submit it: the batch is `SETTLED` at once and the item `REJECTED`. Its amount (Bs. 1.00) comes back to your account in an entry of its own; the fee stays charged, as a bank charges a returned transfer.',
  },
  curl: 'curl -s -X POST "{{BASE}}/api/multipayment/submit.json?id={{INSTANT_BATCH_ID}}" -H "Authorization: Bearer {{TOKEN}}" -H "Idempotency-Key: nomina-envio-2"',
  status: 200,
  answer: {
    id: '{{INSTANT_BATCH_ID}}', type: 'DISPERSION_INSTANT_INTERBANK', status: 'SETTLED',
    items: [{ reference: '0003', bank: 'Banco de Venezuela', amount: '1.00', status: 'REJECTED' }],
  },
};

const PAYOUTS: Guide = {
  slug: { es: 'pagos-masivos', en: 'payouts' },
  title: { es: 'Pagos masivos: lotes de dispersión a cuentas bancarias', en: 'Mass payouts: batches to bank accounts' },
  intro: [
    {
      es: 'Un pago masivo (dispersión) envía dinero de su cuenta a muchas cuentas bancarias venezolanas en un lote: registre cada ítem (`register-item`), revise el lote pendiente y envíelo; al enviarlo se debita una sola vez el total más las comisiones.',
      en: 'A mass payout (dispersion) sends money from your account to many Venezuelan bank accounts in one batch: register each item (`register-item`), review the pending batch and submit it; submitting debits the total plus the fees once.',
    },
    {
      es: 'Dos tipos, elegidos con `?type=` al registrar: `DISPERSION`, Bs. 1,50 por ítem, que los bancos liquidan 24 horas después del envío; y `DISPERSION_INSTANT_INTERBANK`, Bs. 5,00 por ítem, que se liquida al enviarlo. Un lote admite hasta 1.000 ítems; el dinero sale de la cuenta receptora de su aplicación, que debe tener saldo para el total y las comisiones.',
      en: 'Two types, chosen with `?type=` when registering: `DISPERSION`, Bs. 1.50 per item, which the banks settle 24 hours after submission; and `DISPERSION_INSTANT_INTERBANK`, Bs. 5.00 per item, settled when submitted. A batch holds up to 1,000 items; the money leaves your app’s receiving account, which must hold the total and the fees.',
    },
    {
      es: 'Los cuatro primeros pasos cobran una venta de Bs. 20,00, como en la primera guía, para que su cuenta tenga con qué pagar.',
      en: 'The first four steps collect a sale of Bs. 20.00, as in the first guide, so that your account has something to pay with.',
    },
  ],
  variables: [BASE, ...KEYS, ...SANDBOX],
  steps: [token, createSale, approve, payoutFund, payoutItem1, payoutItem2, payoutNoBank, payoutList, payoutShow, payoutSubmit, payoutProcessing, payoutRejectedItem, payoutListBoth, payoutSubmitInstant],
  outro: [
    {
      es: 'El reloj de prueba: en el sandbox, su cuenta puede adelantar su hora. Desde la terminal, `npx mpandco sandbox clock advance 25h --account <su usuario>` (con `npm start`, `--account demo01`), o en la página de su aplicación, «Reloj de prueba» → «Adelantar el reloj». La siguiente pasada de liquidación (cada minuto) deja el lote `DISPERSION` en `SETTLED` y `show.json` lo muestra así. «Volver a la hora real» quita el adelanto. Producción no tiene reloj de prueba: allí se esperan las 24 horas.',
      en: 'The test clock: in the sandbox your account may run its time ahead. From the terminal, `npx mpandco sandbox clock advance 25h --account <your username>` (with `npm start`, `--account demo01`), or on your app’s page, “Reloj de prueba” → “Adelantar el reloj”. The next settlement pass (every minute) makes the `DISPERSION` batch `SETTLED` and `show.json` shows it so. “Volver a la hora real” removes the offset. Production has no test clock: there the 24 hours are waited out.',
    },
    {
      es: 'La cuenta `01029999999999999999` solo se rechaza en el sandbox (está en la tabla de valores mágicos de «Herramientas del sandbox»); en producción es una cuenta más. Con un webhook, cada liquidación envía `payout.batch_settled` (el lote con sus ítems) y cada ítem rechazado `payout.item_failed`. Sus lotes y su detalle también están en «Pagos» → `/dashboard/payouts`.',
      en: 'The account `01029999999999999999` is rejected only in the sandbox (it is in the magic values table of “Herramientas del sandbox”); in production it is an ordinary account. With a webhook, each settlement sends `payout.batch_settled` (the batch with its items) and each rejected item `payout.item_failed`. Your batches and their detail are also in “Pagos” → `/dashboard/payouts`.',
    },
  ],
};

// Callbacks, webhooks and the events API: the app chooses event types on its page, a sale is
// executed, and its events are read back.

const hooksChoose: PageStep = {
  text: {
    es: 'En la página de su aplicación (Configuraciones › Aplicaciones oAuth › su aplicación › «Configurar webhook») marque `sale.authorized` y `sale.executed` y guarde. El endpoint puede quedar vacío: los eventos de esos tipos se registran igual y se leen con el API; con un endpoint, además se le envían. Sin ningún tipo elegido no se registra nada, y `GET /api/event/.json` responde una lista vacía.',
    en: 'On your app’s page (Configuraciones › Aplicaciones oAuth › your app › “Configurar webhook”) tick `sale.authorized` and `sale.executed` and save. The endpoint may stay empty: events of those types are recorded anyway and read with the API; with an endpoint they are also sent to it. With no type chosen nothing is recorded, and `GET /api/event/.json` answers an empty list.',
  },
  page: { webhookEvents: ['sale.authorized', 'sale.executed'] },
};

const hooksEvents: Step = {
  text: {
    es: 'Lea los eventos de su aplicación, el más reciente primero. Cada uno es exactamente el cuerpo que el webhook recibiría: `id` (`evt_…`, el mismo de la cabecera `X-Mpandco-Event`), `type`, `created_at`, `environment` y en `data` el objeto justo después del cambio, con los campos de `show.json`.',
    en: 'Read your app’s events, newest first. Each is exactly the body the webhook would receive: `id` (`evt_…`, the same as the `X-Mpandco-Event` header), `type`, `created_at`, `environment` and in `data` the object right after the change, with `show.json`’s fields.',
  },
  curl: 'curl -s "{{BASE}}/api/event/.json" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: {
    data: [
      {
        id: '{{EVENT_ID}}', type: 'sale.executed', environment: 'sandbox',
        data: { id: '{{INTENT_ID}}', intent: 'sale', state: 'executed', transactions: [{ related_resources: { sale: { id: '{{PAYMENT_ID}}' } } }] },
      },
      { id: '{{AUTHORIZED_EVENT_ID}}', type: 'sale.authorized', environment: 'sandbox', data: { id: '{{INTENT_ID}}', state: 'authorized' } },
    ],
  },
};

const hooksAfter: Step = {
  text: {
    es: 'Para ponerse al día, pida los eventos posteriores al último que procesó con `?after=`: vienen del más antiguo al más nuevo. Un `id` que no es de su aplicación es un 400.',
    en: 'To catch up, ask for the events after the last one you handled with `?after=`: they come oldest first. An `id` that is not your app’s is a 400.',
  },
  curl: 'curl -s "{{BASE}}/api/event/.json?after={{AUTHORIZED_EVENT_ID}}" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: { data: [{ id: '{{EVENT_ID}}', type: 'sale.executed', data: { id: '{{INTENT_ID}}' } }] },
};

const hooksType: Step = {
  text: {
    es: 'Con `?type=` solo llegan los de un tipo (un tipo desconocido es un 400). Los enlaces de la paginación conservan los filtros; `page` y `maxPerPage` (hasta 100) recorren la lista.',
    en: 'With `?type=` only one type comes (an unknown type is a 400). The paginator’s links keep the filters; `page` and `maxPerPage` (up to 100) walk the list.',
  },
  curl: 'curl -s "{{BASE}}/api/event/.json?type=sale.authorized" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: { data: [{ id: '{{AUTHORIZED_EVENT_ID}}', type: 'sale.authorized' }] },
};

const HOOKS: Guide = {
  slug: { es: 'callbacks-y-webhooks', en: 'callbacks-and-webhooks' },
  title: { es: 'Callbacks y webhooks, y sus firmas', en: 'Callbacks and webhooks, and their signatures' },
  intro: [
    {
      es: 'La plataforma avisa a su sistema de dos formas: el callback, un `GET` firmado a la `returnUrl` o `cancelUrl` de una solicitud de cobro cuando se paga o se rechaza; y el webhook, un `POST` firmado con un evento en JSON, que usted activa por aplicación. Los eventos que su sistema no recibió se leen con `GET /api/event/.json`.',
      en: 'The platform tells your system in two ways: the callback, a signed `GET` to a billing request’s `returnUrl` or `cancelUrl` when it is paid or declined; and the webhook, a signed `POST` of a JSON event, which you turn on per app. Events your system did not receive are read with `GET /api/event/.json`.',
    },
    {
      es: 'El callback: al pagarse una solicitud (en caja o en la billetera) llega `GET <returnUrl>?paymentIntent=<id>&payerId=<id del pagador>`; si el cliente la rechaza, `GET <cancelUrl>?paymentIntent=<id>`. Trae la cabecera `X-Mpandco-Signature: t=<segundos unix>,v1=<HMAC-SHA256 en hex>`, calculada sobre `<t>.<URL completa tal como la recibió>` con el secreto de firma de callbacks que muestra la página de su aplicación. Verifíquela y consulte la solicitud con `show.json` antes de entregar.',
      en: 'The callback: when a request is paid (at the cashier or in the wallet) `GET <returnUrl>?paymentIntent=<id>&payerId=<payer id>` arrives; if the customer declines it, `GET <cancelUrl>?paymentIntent=<id>`. It carries the header `X-Mpandco-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`, computed over `<t>.<full URL as received>` with the callback signing secret your app’s page shows. Verify it and look the request up with `show.json` before you deliver.',
    },
    {
      es: 'El webhook: en «Configurar webhook» elija un endpoint HTTPS (en el sandbox también `http://localhost`) y los tipos de evento: `sale.authorized`, `sale.executed`, `sale.annulled`, `intent.canceled`, `intent.expired`, `request.paid`, `request.declined`, `payout.batch_settled` y `payout.item_failed`. Cada evento llega como `POST` con `Content-Type: application/json`, el cuerpo `{"id":"evt_…","type":"sale.executed","created_at":…,"environment":"sandbox","data":{…}}` y las cabeceras `X-Mpandco-Event` (el id) y `X-Mpandco-Signature: t=…,v1=…`, el HMAC-SHA256 en hex de `<t>.<cuerpo crudo>` con el secreto `whsec_…` del webhook (otro que el de los callbacks).',
      en: 'The webhook: in “Configurar webhook” choose an HTTPS endpoint (in the sandbox also `http://localhost`) and the event types: `sale.authorized`, `sale.executed`, `sale.annulled`, `intent.canceled`, `intent.expired`, `request.paid`, `request.declined`, `payout.batch_settled` and `payout.item_failed`. Each event arrives as a `POST` with `Content-Type: application/json`, the body `{"id":"evt_…","type":"sale.executed","created_at":…,"environment":"sandbox","data":{…}}` and the headers `X-Mpandco-Event` (the id) and `X-Mpandco-Signature: t=…,v1=…`, the hex HMAC-SHA256 of `<t>.<raw body>` keyed with the webhook’s `whsec_…` secret (not the callbacks’ one).',
    },
    {
      es: 'Responda 2xx cuando haya guardado el aviso; cualquier otra respuesta, o ninguna en 10 s, se reintenta a los 30 s, 1 min, 2 min, 4 min… durante 24 horas. La entrega es al menos una vez: procese cada evento una sola vez, por su `id`. Los pasos siguientes eligen tipos, cobran una venta como en la primera guía y leen sus eventos.',
      en: 'Answer 2xx once you have stored the notice; any other answer, or none within 10 s, is retried after 30 s, 1 min, 2 min, 4 min… for 24 hours. Delivery is at least once: process each event once, by its `id`. The steps below choose types, collect a sale as in the first guide and read its events.',
    },
  ],
  variables: [BASE, ...KEYS, ...SANDBOX],
  steps: [hooksChoose, token, createSale, approve, execute, hooksEvents, hooksAfter, hooksType],
  outro: [
    {
      es: 'Verificar una firma: separe `t` y `v1` de la cabecera, calcule el HMAC-SHA256 en hex con su secreto sobre `t`, un punto y el cuerpo crudo (en un callback, la URL completa recibida), compárelo en tiempo constante y rechace una `t` de hace más de cinco minutos. En PHP: `hash_equals(hash_hmac(\'sha256\', $t . \'.\' . file_get_contents(\'php://input\'), $secreto), $v1)`, y para un callback `hash_hmac(\'sha256\', $t . \'.\' . \'https://\' . $_SERVER[\'HTTP_HOST\'] . $_SERVER[\'REQUEST_URI\'], $secretoCallbacks)`. En Node: `const mac = createHmac(\'sha256\', secreto).update(t + \'.\').update(cuerpoCrudo).digest(); const v = Buffer.from(v1, \'hex\'); const ok = v.length === mac.length && timingSafeEqual(v, mac);`. El SDK de TypeScript (`sdk/`) trae `verifyWebhook`, `parseEvent` y `verifyCallback`.',
      en: 'Verifying a signature: split `t` and `v1` out of the header, compute the hex HMAC-SHA256 with your secret over `t`, a dot and the raw body (for a callback, the full URL received), compare in constant time and reject a `t` more than five minutes old. In PHP: `hash_equals(hash_hmac(\'sha256\', $t . \'.\' . file_get_contents(\'php://input\'), $secret), $v1)`, and for a callback `hash_hmac(\'sha256\', $t . \'.\' . \'https://\' . $_SERVER[\'HTTP_HOST\'] . $_SERVER[\'REQUEST_URI\'], $callbackSecret)`. In Node: `const mac = createHmac(\'sha256\', secret).update(t + \'.\').update(rawBody).digest(); const v = Buffer.from(v1, \'hex\'); const ok = v.length === mac.length && timingSafeEqual(v, mac);`. The TypeScript SDK (`sdk/`) has `verifyWebhook`, `parseEvent` and `verifyCallback`.',
    },
    {
      es: 'El registro de callbacks: la página de su aplicación enlaza `/settings/apps/<id>/callbacks`, con cada callback y cada entrega de webhook, sus intentos, el error clasificado (HTTP, DNS, tiempo agotado, TLS, conexión rechazada) y la hora del próximo reintento. «Reenviar» vuelve a enviar cualquier entrega, firmada de nuevo; «Enviar prueba» manda un callback o un evento `test` marcado con `X-Mpandco-Test: 1`. En el sandbox, una URL en `falla.mpandco.test` falla siempre con 503, para ver los reintentos.',
      en: 'The callback log: your app’s page links to `/settings/apps/<id>/callbacks`, with every callback and webhook delivery, its attempts, the classified error (HTTP, DNS, timeout, TLS, connection refused) and the time of the next retry. “Reenviar” sends any delivery again, signed afresh; “Enviar prueba” sends a callback or a `test` event marked with `X-Mpandco-Test: 1`. In the sandbox a URL on `falla.mpandco.test` always fails with 503, to watch the retries.',
    },
    {
      es: 'Sin endpoint público: `npx mpandco listen --forward-to http://localhost:3000/hook` reenvía a su máquina, firmados, todos los eventos de una aplicación del sandbox mientras corre, y `npx mpandco trigger sale.executed` crea los objetos que producen un evento.',
      en: 'Without a public endpoint: `npx mpandco listen --forward-to http://localhost:3000/hook` forwards every event of a sandbox app to your machine, signed, while it runs, and `npx mpandco trigger sale.executed` makes the objects that produce an event.',
    },
  ],
};

// Going live: the same calls with production's address and keys; until an operator activates
// the app, production answers its API calls 503.

const PROD: Variable[] = [
  {
    name: 'PROD_BASE', value: '', placeholder: { es: 'https://<dirección de producción>', en: 'https://<production address>' },
    text: { es: 'La dirección de producción (en su máquina, http://localhost:8090). Con las llaves, es lo único que cambia en su integración.', en: 'The production address (on your machine, http://localhost:8090). With the keys, it is all that changes in your integration.' },
  },
  { name: 'PROD_CLIENT_ID', value: '', placeholder: { es: 'su-client-id-de-produccion', en: 'your-production-client-id' }, text: { es: 'El client id de su aplicación de producción, en «Aplicaciones oAuth» de producción.', en: 'Your production app’s client id, in production’s “Aplicaciones oAuth”.' } },
  { name: 'PROD_CLIENT_SECRET', value: '', placeholder: { es: 'su-client-secret-de-produccion', en: 'your-production-client-secret' }, text: { es: 'Su client secret de producción, del mismo lugar.', en: 'Your production client secret, from the same place.' } },
];

const liveSandboxToken: Step = {
  ...token,
  text: {
    es: 'En el sandbox, sus llaves de prueba dan un token…',
    en: 'In the sandbox your test keys get a token…',
  },
};

const liveSandboxList: Step = {
  text: {
    es: '…y el API responde: es lo que su integración hizo hasta ahora.',
    en: '…and the API answers: it is what your integration has done so far.',
  },
  curl: 'curl -s "{{BASE}}/api/payment-intent/.json" -H "Authorization: Bearer {{TOKEN}}"',
  status: 200,
  answer: { meta: { currentPage: 1 } },
};

const liveToken: Step = {
  text: {
    es: 'En producción, las llaves de su aplicación de producción dan un token desde que la crea, igual que en el sandbox.',
    en: 'In production, your production app’s keys get a token from the moment you create it, as in the sandbox.',
  },
  curl: 'curl -s -X POST "{{PROD_BASE}}/oauth/v2/token" -d grant_type=urn:client_apps -d "client_id={{PROD_CLIENT_ID}}" -d "client_secret={{PROD_CLIENT_SECRET}}"',
  status: 200,
  answer: { access_token: '{{PROD_TOKEN}}', expires_in: 3600, token_type: 'bearer', scope: 'API' },
};

const liveNotYet: Step = {
  text: {
    es: 'Pero hasta que un operador active la aplicación, el API de producción responde 503 a cada llamada. Después, las mismas llamadas de las otras guías funcionan con `PROD_BASE` y el token de producción.',
    en: 'But until an operator activates the app, the production API answers 503 to every call. Then the same calls as in the other guides work with `PROD_BASE` and the production token.',
  },
  curl: 'curl -s "{{PROD_BASE}}/api/payment-intent/.json" -H "Authorization: Bearer {{PROD_TOKEN}}"',
  status: 503,
  answer: { code: 503, message: 'La aplicación aún no está habilitada en este ambiente. Solicite la activación.' },
};

const GOLIVE: Guide = {
  slug: { es: 'pasar-a-produccion', en: 'going-live' },
  title: { es: 'Pasar a producción', en: 'Going live' },
  intro: [
    {
      es: 'La misma integración pasa del sandbox a producción cambiando solo la dirección base y las llaves. Antes, su aplicación de producción debe cumplir unas reglas y un operador de mPandco debe activarla. La lista, en orden:',
      en: 'The same integration moves from the sandbox to production by changing only the base address and the keys. First, your production app must meet some rules and an mPandco operator must activate it. The checklist, in order:',
    },
    {
      es: '1. Su comercio en producción: regístrelo en la dirección de producción con el código de afiliación que le dio el equipo de ventas (los códigos del sandbox no sirven allí).',
      en: '1. Your business in production: register it at the production address with the affiliation code the sales team gave you (sandbox codes do not work there).',
    },
    {
      es: '2. La aplicación de producción, en «Aplicaciones oAuth»: su URL del sitio debe ser `https://` en un dominio propio y público (no una dirección IP, ni `localhost`, ni un nombre de una sola etiqueta o terminado en `.local` o `.internal`, ni con usuario o contraseña), y sus `returnUrl` y `cancelUrl` deben ser HTTPS en ese dominio o sus subdominios. Sus callbacks y su webhook, en direcciones HTTPS públicas.',
      en: '2. The production app, in “Aplicaciones oAuth”: its home-page URL must be `https://` on a public domain of your own (not an IP address, nor `localhost`, a one-label name or one ending in `.local` or `.internal`, nor with a user or password), and its `returnUrl` and `cancelUrl` must be HTTPS on that domain or its subdomains. Your callbacks and webhook, on public HTTPS addresses.',
    },
    {
      es: '3. La solicitud de activación: en la página de la aplicación, «Salir a producción» (`/settings/apps/<id>/golive`): el código de afiliación, el dominio propio con HTTPS, su código fuente propio (descríbalo) y el alojamiento. Un operador la revisa y la activa, o la rechaza con un motivo; la decisión aparece como aviso en su billetera y en su lista de aplicaciones. Si la rechaza, corrija lo indicado y envíe otra.',
      en: '3. The activation request: on the app’s page, “Salir a producción” (`/settings/apps/<id>/golive`): the affiliation code, the own HTTPS domain, your own source code (describe it) and the hosting. An operator reviews and activates it, or refuses it with a reason; the decision shows as a notice on your wallet and your list of apps. If refused, fix what was pointed out and send another.',
    },
    {
      es: '4. Lo que se pide aparte: el API de cobros responde 403 hasta que un operador lo concede (se pide en la página de la aplicación) y las cuentas de distribución esperan la aprobación de un operador.',
      en: '4. What is asked for separately: the billing API answers 403 until an operator grants it (asked for on the app’s page) and distribution accounts wait for an operator’s approval.',
    },
    {
      es: '5. Llaves y direcciones de producción: ponga `PROD_BASE`, el client id y el client secret de producción en la configuración de su integración (en el SDK de PHP, `mode = live` y la dirección de producción). El secreto de firma de callbacks y el `whsec_…` del webhook también son otros: cópielos de las páginas de producción.',
      en: '5. Production keys and addresses: put `PROD_BASE` and the production client id and secret in your integration’s configuration (in the PHP SDK, `mode = live` and the production address). The callback signing secret and the webhook’s `whsec_…` are different too: copy them from production’s pages.',
    },
    {
      es: 'Los pasos hacen las mismas dos llamadas en el sandbox y en producción, con una aplicación de producción recién creada y aún sin activar.',
      en: 'The steps make the same two calls in the sandbox and in production, with a production app just created and not yet activated.',
    },
  ],
  variables: [BASE, ...KEYS, ...PROD],
  steps: [liveSandboxToken, liveSandboxList, liveToken, liveNotYet],
  outro: [
    {
      es: 'Lo que cambia respecto del sandbox: no hay dinero de prueba (ni «Agregar fondos de prueba», ni comprador de prueba, ni `autorize.json`): sus clientes autorizan en la página de aprobación y pagan con su saldo, que entra por recargas reales (transferencia o pago móvil a la cuenta bancaria de la plataforma, confirmada por un operador) y sale por retiros. No hay valores mágicos: `402.00`, un usuario `sinfondos…`, el PIN `0000`, la cuenta `01029999999999999999` y `falla.mpandco.test` son valores corrientes. No hay reloj de prueba: la anulación vale 24 horas reales, las intenciones vencen a los 3 días reales (por omisión) y un lote `DISPERSION` se liquida 24 horas reales después de enviarlo. Y los correos llegan a las personas: el sandbox solo los guarda en su página «Correo».',
      en: 'What changes from the sandbox: there is no test money (no “Agregar fondos de prueba”, no test buyer, no `autorize.json`): your customers authorize on the approval page and pay from their balance, which comes in by real top-ups (a bank transfer or pago móvil into the platform’s bank account, confirmed by an operator) and leaves by withdrawals. There are no magic values: `402.00`, a `sinfondos…` username, the PIN `0000`, the account `01029999999999999999` and `falla.mpandco.test` are ordinary values. There is no test clock: annulment holds for 24 real hours, intents expire after 3 real days (by default) and a `DISPERSION` batch settles 24 real hours after submission. And e-mails reach people: the sandbox only keeps them on its “Correo” page.',
    },
    {
      es: 'Después de la activación, una nueva URL del sitio espera la revisión de un operador (la anterior sigue en uso mientras tanto).',
      en: 'After activation, a new home-page URL waits for an operator’s review (the old one stays in use meanwhile).',
    },
  ],
};

GUIDES.push({
  slug: { es: 'anulacion', en: 'annulment' },
  title: { es: 'Anular una venta (24 horas)', en: 'Annulling a sale (24 hours)' },
  intro: [
    {
      es: 'Una venta ejecutada se puede anular durante las 24 horas siguientes a su ejecución: el dinero vuelve al comprador y la venta queda `annulled`. Los cuatro primeros pasos son los de la primera guía.',
      en: 'An executed sale can be annulled within 24 hours of its execution: the money goes back to the buyer and the sale becomes `annulled`. The first four steps are those of the first guide.',
    },
  ],
  variables: [BASE, ...KEYS, ...SANDBOX],
  steps: [token, createSale, approve, execute, annul, annulAgain],
  outro: [
    {
      es: 'La anulación también se hace a mano en «Pagos» (`/dashboard`), con el PIN o la contraseña.',
      en: 'An annulment can also be done by hand in “Pagos” (`/dashboard`), with the PIN or the password.',
    },
  ],
}, PAYOUTS, HOOKS, {
  slug: { es: 'errores', en: 'errors' },
  title: { es: 'Errores e idempotencia: 401 y 403, el árbol del 400, repetir sin cobrar dos veces', en: 'Errors and idempotency: 401 and 403, the 400 tree, retrying without charging twice' },
  intro: [
    {
      es: 'Cómo responde el API cuando algo falla, y cómo repetir una llamada sin cobrar dos veces con la cabecera `Idempotency-Key` (idempotencia). Los mensajes están en español; con `-H "Accept-Language: en"` vienen en inglés.',
      en: 'How the API answers when something fails, and how to repeat a call without charging twice with the `Idempotency-Key` header (idempotency). Messages are Spanish; with `-H "Accept-Language: en"` they come in English.',
    },
  ],
  variables: [BASE, ...KEYS],
  steps: [noToken, badToken, token, badForm, idempotent, idempotentAgain, missingPayer],
  outro: [
    {
      es: 'Todos los POST del API aceptan `Idempotency-Key`, también `register-item` y `submit` de los pagos masivos. Una clave se guarda 48 horas: la misma clave con otro cuerpo es un 422. Si la primera llamada se cortó justo después de mover el dinero, la repetición recibe 409 («La solicitud con esta Idempotency-Key ya se procesó…») y nunca se ejecuta dos veces: lea entonces el estado con el `show` o la lista del recurso.',
      en: 'Every API POST takes `Idempotency-Key`, mass payouts’ `register-item` and `submit` too. A key is kept 48 hours: the same key with another body is a 422. If the first call was cut off right after moving the money, the repetition gets 409 (“La solicitud con esta Idempotency-Key ya se procesó…”) and never runs twice: then read the state with the resource’s `show` or list call.',
    },
  ],
}, SDK, GOLIVE);

export function findGuide(lang: 'es' | 'en', slug: string): Guide | undefined {
  return GUIDES.find((g) => g.slug[lang] === slug);
}
