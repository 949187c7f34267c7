import type { Guide, Step, Variable } from './guide.model.ts';

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
}, {
  slug: { es: 'errores', en: 'errors' },
  title: { es: 'Errores: 401 y 403, el árbol del 400, claves de idempotencia', en: 'Errors: 401 and 403, the 400 tree, idempotency keys' },
  intro: [
    {
      es: 'Cómo responde el API cuando algo falla, y cómo repetir una llamada sin cobrar dos veces. Los mensajes están en español; con `-H "Accept-Language: en"` vienen en inglés.',
      en: 'How the API answers when something fails, and how to repeat a call without charging twice. Messages are Spanish; with `-H "Accept-Language: en"` they come in English.',
    },
  ],
  variables: [BASE, ...KEYS],
  steps: [noToken, badToken, token, badForm, idempotent, idempotentAgain, missingPayer],
}, SDK);

export function findGuide(lang: 'es' | 'en', slug: string): Guide | undefined {
  return GUIDES.find((g) => g.slug[lang] === slug);
}
